package org.framecache.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame as served: its part Content-Type (media type and transfer syntax) and its bytes exactly as the
 * store returned them (including the DICOM even-length pad byte, PS3.5 §A.4).
 */
public record CachedFrame(String contentType, byte[] bytes) {
    private static final byte FORMAT = 1;

    /** Cache value layout: format byte, content-type length (u16), content-type UTF-8, frame bytes. */
    public byte[] encode() {
        byte[] ct = contentType.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(3 + ct.length + bytes.length);
        out.put(FORMAT).putShort((short) ct.length).put(ct).put(bytes);
        return out.array();
    }

    /** Decodes a cache value; null for a value in an unknown format (treated as a miss, never served). */
    public static CachedFrame decode(byte[] value) {
        if (value == null || value.length < 3 || value[0] != FORMAT) {
            return null;
        }
        int ctLength = ((value[1] & 0xff) << 8) | (value[2] & 0xff);
        if (3 + ctLength > value.length) {
            return null;
        }
        String ct = new String(value, 3, ctLength, StandardCharsets.UTF_8);
        byte[] frame = new byte[value.length - 3 - ctLength];
        System.arraycopy(value, 3 + ctLength, frame, 0, frame.length);
        return new CachedFrame(ct, frame);
    }
}
