package org.framecache.proxy.inbound;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One frame as served: its part Content-Type (media type and transfer syntax) and its bytes exactly as the
 * store returned them (including the DICOM even-length pad byte, PS3.5 §A.4). A frame decoded from a cache value
 * points into that value: its bytes are copied once, into the response ({@link #buffer()}).
 */
public final class CachedFrame {
    private static final byte FORMAT = 1;

    private final String contentType;
    private final byte[] data;
    private final int offset;

    public CachedFrame(String contentType, byte[] bytes) {
        this(contentType, bytes, 0);
    }

    private CachedFrame(String contentType, byte[] data, int offset) {
        this.contentType = contentType;
        this.data = data;
        this.offset = offset;
    }

    public String contentType() {
        return contentType;
    }

    /** The frame's bytes (a copy when the frame points into a cache value). */
    public byte[] bytes() {
        return offset == 0 ? data : Arrays.copyOfRange(data, offset, data.length);
    }

    public int length() {
        return data.length - offset;
    }

    /** The frame's bytes as a read-only view, without a copy. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data, offset, data.length - offset).slice().asReadOnlyBuffer();
    }

    /** Cache value layout: format byte, content-type length (u16), content-type UTF-8, frame bytes. */
    public byte[] encode() {
        byte[] ct = contentType.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(3 + ct.length + length());
        out.put(FORMAT).putShort((short) ct.length).put(ct).put(data, offset, length());
        return out.array();
    }

    /**
     * Decodes a cache value, keeping a reference to it (cache values are never changed in place); null for a value
     * in an unknown format (treated as a miss, never served).
     */
    public static CachedFrame decode(byte[] value) {
        if (value == null || value.length < 3 || value[0] != FORMAT) {
            return null;
        }
        int ctLength = ((value[1] & 0xff) << 8) | (value[2] & 0xff);
        if (3 + ctLength > value.length) {
            return null;
        }
        // a content type the proxy wrote is printable ASCII with a '/': anything else is not its value (e.g. another
        // format's bytes), a miss
        boolean slash = false;
        for (int i = 3; i < 3 + ctLength; i++) {
            byte b = value[i];
            if (b < 0x20 || b > 0x7e) {
                return null;
            }
            slash |= b == '/';
        }
        if (!slash) {
            return null;
        }
        String ct = new String(value, 3, ctLength, StandardCharsets.US_ASCII);
        return new CachedFrame(ct, value, 3 + ctLength);
    }

    @Override
    public String toString() {
        return "CachedFrame[" + contentType + ", " + length() + " bytes]";
    }
}
