package org.framecache.proxy.multipart;

import java.io.IOException;
import java.io.InputStream;

/**
 * A fixed-size window over the body: {@code buf[pos, limit)} are the bytes read but not consumed yet. Memory stays
 * bounded whatever the body's size; a refill moves the unconsumed bytes to the start and reads one block after them.
 * The readers of the window move {@code pos} themselves (the delimiter search runs over {@code buf} directly).
 */
final class BodyWindow {

    static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_ZERO_READS = 1000;

    private final InputStream in;
    final byte[] buf = new byte[BUFFER_SIZE];
    int pos;
    int limit;
    boolean eof;
    /** When a streamed read paused: {@code [pos, pausedEnd)} is known content, handed out without a search. */
    int pausedEnd;

    BodyWindow(InputStream in) {
        this.in = in;
        // A virtual CRLF in front of the body lets the first delimiter appear at the very start
        // of the body without one. It can only ever be part of the (discarded) preamble.
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /**
     * Moves {@code [pos, limit)} to the start of the buffer and reads more bytes (one block).
     *
     * @return false if the stream is at EOF
     */
    boolean fill() throws IOException {
        pausedEnd = 0;
        if (pos > 0) {
            int n = limit - pos;
            System.arraycopy(buf, pos, buf, 0, n);
            pos = 0;
            limit = n;
        }
        if (limit == buf.length) {
            throw new IllegalStateException("buffer full");
        }
        int zeroReads = 0;
        while (true) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n > 0) {
                limit += n;
                return true;
            }
            if (n < 0) {
                eof = true;
                return false;
            }
            if (++zeroReads >= MAX_ZERO_READS) {
                throw new IOException("input stream returned no data " + MAX_ZERO_READS + " times in a row");
            }
        }
    }
}
