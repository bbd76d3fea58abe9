package org.framecache.proxy.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A forward-only little-endian reader over an {@link InputStream} with a small look-ahead buffer and a byte
 * position, and the framing every Part 10 reader needs: preamble, File Meta Information, element headers. Any end
 * of stream inside a requested range is reported as a {@link DicomFormatException} whose message starts with
 * "truncated".
 */
final class DicomStream {
    /** A value length of 0xFFFFFFFF (PS3.5 7.1.1). */
    static final long UNDEFINED_LENGTH = -1;
    private static final int MAX_UID = 1024;
    /** PS3.5 Table 6.2-1, each VR once, so that VRs can be compared with == where it matters. */
    private static final Map<Integer, String> VRS = new HashMap<>();
    /** PS3.5 Table 7.1-1: VRs with 2 reserved bytes and a 32-bit length in explicit VR. */
    private static final Set<String> LONG_LENGTH_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    static {
        for (String vr : List.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD",
                "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR",
                "US", "UT", "UV")) {
            VRS.put(vr.charAt(0) | vr.charAt(1) << 8, vr);
        }
    }

    /** An element header; {@code vr} is null when the encoding has none, {@code length} may be undefined. */
    record Header(int tag, String vr, long length) {
    }

    static final int BUFFER_SIZE = 8192;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    /** Stream position of {@code buffer[0]}. */
    private long bufferStart;
    private boolean eof;

    DicomStream(InputStream in) {
        this.in = in;
    }

    /** Number of bytes consumed so far. */
    long position() {
        return bufferStart + pos;
    }

    /**
     * Makes at least {@code n} (at most {@link #BUFFER_SIZE}) bytes available for peeking.
     *
     * @return false when the stream ends first (the bytes that are there stay available)
     */
    boolean request(int n) throws IOException {
        if (n > BUFFER_SIZE) {
            throw new IllegalArgumentException("look-ahead too large: " + n);
        }
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            bufferStart += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !eof) {
            int read = in.read(buffer, limit, BUFFER_SIZE - limit);
            if (read < 0) {
                eof = true;
            } else {
                limit += read;
            }
        }
        return limit >= n;
    }

    /** Bytes currently buffered (after a successful {@link #request}, at least the requested count). */
    int buffered() {
        return limit - pos;
    }

    /** Whether the stream has no more bytes (blocks until it knows). */
    boolean atEnd() throws IOException {
        return !request(1);
    }

    /** The unsigned byte {@code i} bytes ahead; only after {@link #request} made it available. */
    int peek(int i) {
        return buffer[pos + i] & 0xFF;
    }

    int peekUInt16(int i) {
        return peek(i) | peek(i + 1) << 8;
    }

    int peekInt32(int i) {
        return peekUInt16(i) | peekUInt16(i + 2) << 16;
    }

    void require(int n, String what) throws IOException {
        if (!request(n)) {
            throw new DicomFormatException("truncated " + what);
        }
    }

    int readUInt16(String what) throws IOException {
        require(2, what);
        int v = peekUInt16(0);
        pos += 2;
        return v;
    }

    int readInt32(String what) throws IOException {
        require(4, what);
        int v = peekInt32(0);
        pos += 4;
        return v;
    }

    long readInt64(String what) throws IOException {
        require(8, what);
        long v = (peekInt32(0) & 0xFFFFFFFFL) | (long) peekInt32(4) << 32;
        pos += 8;
        return v;
    }

    byte[] readBytes(int length, String what) throws IOException {
        byte[] b = new byte[length];
        readFully(b, 0, length, what);
        return b;
    }

    void readFully(byte[] dst, int off, int len, String what) throws IOException {
        int fromBuffer = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, dst, off, fromBuffer);
        pos += fromBuffer;
        off += fromBuffer;
        len -= fromBuffer;
        if (len == 0) {
            return;
        }
        // The buffer is drained: large reads go straight into the destination, without a second copy.
        bufferStart += pos;
        pos = 0;
        limit = 0;
        while (len > 0) {
            int read = eof ? -1 : in.read(dst, off, len);
            if (read < 0) {
                eof = true;
                throw new DicomFormatException("truncated " + what);
            }
            off += read;
            len -= read;
            bufferStart += read;
        }
    }

    /**
     * Skips exactly {@code n} bytes. {@link InputStream#skip} may skip less than asked, nothing at all, or (for
     * some streams) past the end; the last byte of the range is therefore always read, which proves it exists.
     */
    void skip(long n, String what) throws IOException {
        long fromBuffer = Math.min(n, limit - pos);
        pos += (int) fromBuffer;
        long remaining = n - fromBuffer;
        if (remaining == 0) {
            return;
        }
        bufferStart += pos;
        pos = 0;
        limit = 0;
        while (remaining > 1 && !eof) {
            long skipped = in.skip(remaining - 1);
            if (skipped <= 0) {
                break;
            }
            remaining -= skipped;
            bufferStart += skipped;
        }
        while (remaining > 0) {
            int read = eof ? -1 : in.read(buffer, 0, (int) Math.min(remaining, BUFFER_SIZE));
            if (read < 0) {
                eof = true;
                throw new DicomFormatException("truncated " + what);
            }
            remaining -= read;
            bufferStart += read;
        }
    }

    // ---- PS3.10 7.1: preamble, prefix, File Meta Information; PS3.5 7.1: element headers ----

    void readPreamble() throws IOException {
        if (!request(132) || peek(128) != 'D' || peek(129) != 'I' || peek(130) != 'C' || peek(131) != 'M') {
            throw new DicomFormatException("not a DICOM Part 10 file (no preamble and DICM prefix)");
        }
        skip(132, "preamble");
    }

    /**
     * Group 0002, always Explicit VR Little Endian, up to the first tag of another group: its Transfer Syntax UID,
     * one the readers can read (not deflated, not big endian).
     */
    String readFileMetaInformation() throws IOException {
        String transferSyntaxUid = null;
        while (request(2) && peekUInt16(0) == 0x0002) {
            Header h = readHeader(true);
            if (h.length() == UNDEFINED_LENGTH) {
                throw new DicomFormatException("undefined length in file meta information " + tagString(h.tag()));
            }
            if (h.tag() == Tag.TransferSyntaxUID) {
                if (h.length() > MAX_UID) {
                    throw new DicomFormatException("invalid Transfer Syntax UID length " + h.length());
                }
                transferSyntaxUid = withoutPadding(readBytes((int) h.length(), "Transfer Syntax UID"));
            } else {
                skip(h.length(), "file meta information");
            }
        }
        if (transferSyntaxUid == null || transferSyntaxUid.isEmpty()) {
            throw new DicomFormatException("no Transfer Syntax UID in file meta information");
        }
        switch (transferSyntaxUid) {
            case TransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntaxes.EXPLICIT_VR_BIG_ENDIAN,
                    TransferSyntaxes.JPIP_REFERENCED_DEFLATE ->
                    throw new DicomFormatException("unsupported transfer syntax " + transferSyntaxUid);
            default -> {
                return transferSyntaxUid;
            }
        }
    }

    /**
     * Reads an element header (PS3.5 7.1.2 explicit, 7.1.3 implicit). Items and delimiters (group FFFE) never
     * carry a VR (PS3.5 7.5). An explicit VR must be two upper-case letters; a VR of PS3.5 Table 6.2-1 comes back
     * as the one string for it, any other as a new one ({@link #isKnownVr}).
     */
    Header readHeader(boolean explicitVr) throws IOException {
        int group = readUInt16("element header");
        int tag = group << 16 | readUInt16("element header");
        if (group == 0xFFFE || !explicitVr) {
            return new Header(tag, null, length(readInt32("element header")));
        }
        int code = readUInt16("element header");
        String vr = VRS.get(code);
        if (vr == null) {
            char first = (char) (code & 0xFF);
            char second = (char) (code >>> 8);
            if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z') {
                throw new DicomFormatException(String.format("invalid VR %02X%02X at %s", code & 0xFF, code >>> 8,
                        tagString(tag)));
            }
            vr = new String(new char[] {first, second});
        }
        if (LONG_LENGTH_VRS.contains(vr)) {
            readUInt16("element header"); // reserved
            return new Header(tag, vr, length(readInt32("element header")));
        }
        return new Header(tag, vr, readUInt16("element header"));
    }

    /** True for the VRs of PS3.5 Table 6.2-1. */
    static boolean isKnownVr(String vr) {
        return vr != null && vr.length() == 2 && VRS.get(vr.charAt(0) | vr.charAt(1) << 8) == vr;
    }

    /** A 32-bit value length as read: 0xFFFFFFFF is {@link #UNDEFINED_LENGTH}. */
    static long length(int raw) {
        return raw == -1 ? UNDEFINED_LENGTH : Integer.toUnsignedLong(raw);
    }

    /** A text value (a UID, a code string) without its NUL or space padding and stray leading spaces (PS3.5 6.2). */
    static String withoutPadding(byte[] value) {
        int end = value.length;
        while (end > 0 && (value[end - 1] == 0 || value[end - 1] == ' ')) {
            end--;
        }
        int start = 0;
        while (start < end && value[start] == ' ') {
            start++;
        }
        return new String(value, start, end - start, StandardCharsets.US_ASCII);
    }

    static String tagString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
