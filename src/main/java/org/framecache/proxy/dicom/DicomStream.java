package org.framecache.proxy.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only little-endian reader over an {@link InputStream} with a small look-ahead buffer and a byte
 * position. Any end of stream inside a requested range is reported as a {@link DicomFormatException} whose message
 * starts with "truncated".
 */
final class DicomStream {
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

    /**
     * Reads a text value (a UID, a code string) of {@code length} bytes, without its NUL or space padding and stray
     * leading spaces (PS3.5 6.2).
     */
    String readText(int length, String what) throws IOException {
        return withoutPadding(readBytes(length, what));
    }

    private static String withoutPadding(byte[] value) {
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
}
