package org.framecache.proxy.multipart;

import java.util.Arrays;

/**
 * The delimiter of one body ({@code CRLF "--" boundary}, RFC 2046 section 5.1.1): where it next occurs in a buffer,
 * found with a Boyer-Moore-Horspool search (the hot loop of the reader: every content byte passes it), and whether an
 * occurrence is a real delimiter line, a close delimiter, or data that only looks like one.
 */
final class Delimiter {

    // results of classify besides the index of the next part's headers
    static final int NOT_DELIMITER = -1;
    static final int NEED_MORE = -2;
    static final int CLOSE = -3;

    /** CRLF "--" boundary. */
    private final byte[] bytes;
    /** Horspool bad-character shift table for {@link #bytes}. */
    private final int[] shift = new int[256];

    Delimiter(byte[] boundary) {
        int m = boundary.length + 4;
        bytes = new byte[m];
        bytes[0] = '\r';
        bytes[1] = '\n';
        bytes[2] = '-';
        bytes[3] = '-';
        System.arraycopy(boundary, 0, bytes, 4, boundary.length);
        Arrays.fill(shift, m);
        for (int k = 0; k < m - 1; k++) {
            shift[bytes[k] & 0xff] = m - 1 - k;
        }
    }

    /** @return the delimiter's length in bytes, CRLF included */
    int length() {
        return bytes.length;
    }

    /** Boyer-Moore-Horspool search for a full delimiter match in {@code buf[from, limit)}; -1 when there is none. */
    int indexIn(byte[] buf, int from, int limit) {
        final byte[] b = buf;
        final byte[] d = bytes;
        final int[] sh = shift;
        final int last = d.length - 1;
        final byte lastByte = d[last];
        final int end = limit - d.length;
        int i = from;
        while (i <= end) {
            byte c = b[i + last];
            if (c == lastByte) {
                int j = last - 1;
                while (j >= 0 && b[i + j] == d[j]) {
                    j--;
                }
                if (j < 0) {
                    return i;
                }
            }
            i += sh[c & 0xff];
        }
        return -1;
    }

    /**
     * Decides whether the full delimiter match at {@code idx} is a real delimiter by looking at what follows it in
     * {@code buf[idx, limit)}: "--" (close delimiter), or optional spaces/tabs and CRLF.
     *
     * @param eof whether the body ends at {@code limit}
     * @return CLOSE, NOT_DELIMITER, NEED_MORE, or the index where the next part's headers begin
     * (equal to {@code limit} when the stream ended right after the delimiter)
     */
    int classify(byte[] buf, int idx, int limit, boolean eof) {
        int q = idx + bytes.length;
        if (q == limit) {
            return eof ? limit : NEED_MORE; // bare delimiter at EOF: end of parts
        }
        byte b = buf[q];
        if (b == '-') {
            if (q + 1 == limit) {
                return eof ? CLOSE : NEED_MORE;
            }
            return buf[q + 1] == '-' ? CLOSE : NOT_DELIMITER;
        }
        int r = q;
        while (r < limit && (buf[r] == ' ' || buf[r] == '\t')) {
            r++;
        }
        if (r == limit) {
            return eof ? limit : NEED_MORE;
        }
        if (buf[r] != '\r') {
            return NOT_DELIMITER;
        }
        if (r + 1 == limit) {
            return eof ? limit : NEED_MORE;
        }
        return buf[r + 1] == '\n' ? r + 2 : NOT_DELIMITER;
    }
}
