package org.framecache.proxy.multipart;

import java.io.IOException;

/**
 * Moves through the body window to the next real delimiter, refilling it as needed, and hands the bytes before the
 * delimiter to a {@link ContentTarget} (or drops them: the preamble, a part left unread). A target with less room
 * than the content pauses the scan; the next scan resumes where it stopped.
 */
final class DelimiterScanner {

    // results of a scan
    static final int FOUND_PART = 1;   // delimiter line found; pos is at the next part's headers
    static final int FOUND_END = 2;    // close delimiter (or delimiter at EOF); no more parts
    static final int NOT_FOUND = 3;    // EOF without a delimiter; [pos, limit) not yet consumed
    static final int PAUSED = 4;       // the target is full; scanning resumes from pos

    private final BodyWindow window;
    private final Delimiter delimiter;

    DelimiterScanner(BodyWindow window, Delimiter delimiter) {
        this.window = window;
        this.delimiter = delimiter;
    }

    /**
     * Searches from {@code pos} for the next real delimiter. Bytes before it are appended to
     * {@code sink} (or discarded if null). On FOUND_PART, {@code pos} is at the next part's
     * header block; on NOT_FOUND (EOF), the bytes {@code [pos, limit)} were not consumed yet.
     */
    int scan(ContentTarget sink) throws IOException {
        final BodyWindow w = window;
        final int m = delimiter.length();
        int from = w.pos;
        while (true) {
            int idx = delimiter.indexIn(w.buf, from, w.limit);
            if (idx >= 0) {
                int c = delimiter.classify(w.buf, idx, w.limit, w.eof);
                if (c == Delimiter.NOT_DELIMITER) {
                    from = idx + 1;
                    continue;
                }
                if (!consume(sink, idx)) {
                    return PAUSED;
                }
                if (c == Delimiter.NEED_MORE) {
                    // pos == idx now; keep the candidate and read the bytes following it
                    if (w.limit - w.pos == w.buf.length) {
                        throw new MalformedMultipartException("transport padding after boundary delimiter too long");
                    }
                    w.fill();
                    from = w.pos;
                    continue;
                }
                if (c == Delimiter.CLOSE) {
                    w.pos = Math.min(w.limit, idx + m + 2);
                    return FOUND_END;
                }
                w.pos = c;
                return c == w.limit && w.eof ? FOUND_END : FOUND_PART;
            }
            // No delimiter starts before limit - (m - 1); those bytes are data.
            int safe = Math.max(w.pos, w.limit - (m - 1));
            if (!consume(sink, safe)) {
                return PAUSED;
            }
            if (w.eof) {
                return NOT_FOUND;
            }
            w.fill();
            from = w.pos;
        }
    }

    /**
     * Appends {@code [pos, end)} to the sink (if any), as much as it has room for, and advances {@code pos}.
     *
     * @return false when the sink filled up before {@code end}
     */
    private boolean consume(ContentTarget sink, int end) {
        final BodyWindow w = window;
        if (end > w.pos) {
            int n = sink == null ? end - w.pos : Math.min(end - w.pos, sink.room());
            if (sink != null) {
                sink.append(w.buf, w.pos, n);
            }
            w.pos += n;
        }
        if (w.pos < end) {
            w.pausedEnd = end;
            return false;
        }
        return true;
    }

    /**
     * A part that ran into end-of-stream (NOT_FOUND) ends there only if it declared a Content-Length its bytes match,
     * optionally followed by a CRLF: a leniency for a sender that drops the close delimiter (RFC 2046 wants one).
     *
     * @param received the part's bytes before the window's unconsumed tail {@code [pos, limit)}
     * @param declared the part's Content-Length, or -1
     * @return how many of the tail's last bytes are not content (0 or 2)
     * @throws MalformedMultipartException when the body is truncated
     */
    int tailToDrop(long received, long declared, int partNumber) {
        final BodyWindow w = window;
        int rem = w.limit - w.pos;
        long total = received + rem;
        if (declared >= 0) {
            if (total == declared) {
                return 0;
            }
            if (total == declared + 2 && rem >= 2 && w.buf[w.limit - 2] == '\r' && w.buf[w.limit - 1] == '\n') {
                return 2;
            }
            throw new MalformedMultipartException("multipart body truncated: part " + partNumber
                    + " not terminated by a boundary delimiter (received " + total
                    + " bytes, declared Content-Length " + declared + ")");
        }
        throw new MalformedMultipartException("multipart body truncated: part " + partNumber
                + " not terminated by a boundary delimiter (received " + total + " bytes, no Content-Length)");
    }
}
