package org.framecache.proxy.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.framecache.proxy.http.MediaType;

/**
 * Streaming, binary-safe reader of {@code multipart/related} (RFC 2046 section 5.1, RFC 2387)
 * bodies as returned by DICOMweb stores.
 *
 * <p>The body is read lazily through a fixed-size buffer, one part at a time; only the part being
 * returned is held in memory (bounded by {@code maxPartBytes}). The delimiter
 * ({@code CRLF "--" boundary}) is located with a Boyer-Moore-Horspool search over the buffer.
 *
 * <p>Leniencies: the first delimiter may start the body without a leading CRLF; transport padding
 * (spaces/tabs) after a delimiter; bare-LF line endings and folded lines in part headers; a body
 * that ends after a delimiter line (or after a bare delimiter) without a close delimiter; and a
 * last part terminated by end-of-stream instead of a delimiter, provided it declared a matching
 * Content-Length (optionally followed by a CRLF). A part that is terminated by end-of-stream
 * without such a Content-Length is treated as a truncated body.
 *
 * <p>The reader itself is immutable and thread-safe; each iterator returned by
 * {@link #parts(InputStream, String)} is single-threaded. The iterator never closes the stream and
 * stops reading at the close delimiter (the epilogue is neither read nor drained).
 */
public final class MultipartRelatedReader {

    /** Maximum size of a part's header block, including the terminating empty line. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int DEFAULT_INITIAL_PART_CAPACITY = 16 * 1024;
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;
    private static final int MAX_ZERO_READS = 1000;

    private final int maxPartBytes;

    /**
     * @param maxPartBytes largest accepted part content, in bytes (must be positive)
     */
    public MultipartRelatedReader(int maxPartBytes) {
        if (maxPartBytes <= 0) {
            throw new IllegalArgumentException("maxPartBytes must be positive: " + maxPartBytes);
        }
        this.maxPartBytes = Math.min(maxPartBytes, MAX_ARRAY_SIZE);
    }

    /**
     * Returns a lazy iterator over the body parts of {@code body}.
     *
     * <p>{@code hasNext()} reads (and buffers) the next part; it and {@code next()} throw
     * {@link MalformedMultipartException} when the body is malformed, truncated, exceeds a limit
     * or cannot be read ({@link UncheckedIOException} when a read timed out). After such a failure the iterator
     * keeps throwing the same exception.
     *
     * @param body        the entity body; not closed by the reader
     * @param contentType the entity's Content-Type, which must be {@code multipart/*} with a
     *                    {@code boundary} parameter
     * @throws MalformedMultipartException if the content type is missing, invalid, not multipart,
     *                                     or has no usable boundary
     */
    public Iterator<BodyPart> parts(InputStream body, String contentType) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        return new PartIterator(body, BoundaryParameter.of(contentType), maxPartBytes);
    }

    /**
     * {@link #parts} for Camel's streaming splitter: the failure is thrown once, to the splitter, which stops there;
     * after it the iterator is at its end. The splitter walks its iterator once more after it stopped (to release
     * the exchanges it made), and a failure thrown again there is only logged, with its stack trace, as an error
     * in releasing.
     */
    public Iterator<BodyPart> splitParts(InputStream body, String contentType) {
        Iterator<BodyPart> parts = parts(body, contentType);
        return new Iterator<>() {
            private boolean failed;

            @Override
            public boolean hasNext() {
                if (failed) {
                    return false;
                }
                try {
                    return parts.hasNext();
                } catch (RuntimeException e) {
                    failed = true;
                    throw e;
                }
            }

            @Override
            public BodyPart next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more body parts");
                }
                return parts.next();
            }
        };
    }

    /**
     * Returns a lazy iterator over the body parts of {@code body} whose contents are streams read straight from
     * {@code body}, never held: for parts too large to hold, such as a whole instance. Each part's stream ends at its
     * delimiter; moving to the next part skips what was left unread of the current one. The limits and leniencies
     * of {@link #parts} apply, except {@code maxPartBytes}: a streamed part may be of any size. A content stream
     * throws {@link MalformedMultipartException} where {@link #parts} would.
     *
     * @param body        the entity body; not closed by the reader
     * @param contentType the entity's Content-Type ({@code multipart/*} with a {@code boundary})
     */
    public Iterator<StreamedPart> partStreams(InputStream body, String contentType) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        PartIterator parts = new PartIterator(body, BoundaryParameter.of(contentType), maxPartBytes);
        return new Iterator<>() {
            private StreamedPart pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    pending = parts.nextStreamed();
                }
                return pending != null;
            }

            @Override
            public StreamedPart next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more body parts");
                }
                StreamedPart part = pending;
                pending = null;
                return part;
            }
        };
    }

    // ==========================================================================================

    /** Iterator state machine over one body. Not thread-safe. */
    private static final class PartIterator implements Iterator<BodyPart> {

        // results of scanning for a delimiter
        private static final int FOUND_PART = 1;   // delimiter line found; pos is at the next part's headers
        private static final int FOUND_END = 2;    // close delimiter (or delimiter at EOF); no more parts
        private static final int NOT_FOUND = 3;    // EOF without a delimiter; [pos, limit) not yet consumed
        private static final int PAUSED = 4;       // the target is full; scanning resumes from pos


        private enum State { PREAMBLE, AT_HEADERS, DONE, FAILED }

        private final InputStream in;
        private final int maxPartBytes;
        private final Delimiter delimiter;

        private final byte[] buf = new byte[BUFFER_SIZE];
        private int pos;
        private int limit;
        private boolean eof;
        /** When a streamed read paused: {@code [pos, pausedEnd)} is known content, handed out without a search. */
        private int pausedEnd;

        private State state = State.PREAMBLE;
        private BodyPart pending;
        private RuntimeException failure;
        private int partNumber;

        PartIterator(InputStream in, byte[] boundary, int maxPartBytes) {
            this.in = in;
            this.maxPartBytes = maxPartBytes;
            delimiter = new Delimiter(boundary);
            // A virtual CRLF in front of the body lets the first delimiter appear at the very start
            // of the body without one. It can only ever be part of the (discarded) preamble.
            buf[0] = '\r';
            buf[1] = '\n';
            limit = 2;
        }

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            if (in instanceof StoppableBody body && body.isStopped()) {
                state = State.DONE; // given up on purpose: no more parts, and no failure to report
            }
            switch (state) {
                case DONE:
                    return false;
                case FAILED:
                    throw failure;
                default:
                    break;
            }
            try {
                pending = readNextPart();
            } catch (MalformedMultipartException e) {
                fail(e);
            } catch (IOException e) {
                fail(unreadable(e));
            }
            return pending != null;
        }

        @Override
        public BodyPart next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more body parts");
            }
            BodyPart part = pending;
            pending = null;
            return part;
        }

        /** The part whose content is being streamed, or null. */
        private ContentStream streaming;

        /** The next part with its content as a stream; null when there are no more parts. */
        StreamedPart nextStreamed() {
            if (state == State.FAILED) {
                throw failure;
            }
            try {
                if (streaming != null) {
                    streaming.skipRest();
                    streaming = null;
                }
                if (state == State.DONE) {
                    return null;
                }
                LinkedHashMap<String, String> headers = nextPartHeaders();
                if (headers == null) {
                    return null;
                }
                streaming = new ContentStream(BodyPart.parseLength(headers.get("content-length")));
                return new StreamedPart(headers, streaming);
            } catch (MalformedMultipartException e) {
                fail(e);
            } catch (IOException e) {
                fail(unreadable(e));
            }
            return null; // not reached: fail throws
        }

        /**
         * A body that could not be read: malformed (truncated, reset), except a read that timed out, which is the
         * store being slow, not its answer being wrong (an {@link UncheckedIOException} around the timeout).
         */
        private static RuntimeException unreadable(IOException e) {
            if (e instanceof SocketTimeoutException) {
                return new UncheckedIOException("upstream body stalled: " + e.getMessage(), e);
            }
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new MalformedMultipartException("upstream body could not be read: " + reason, e);
        }

        /** One part's content, read from the body as asked for: at most the caller's buffer at a time. */
        private final class ContentStream extends InputStream {
            private final long declared;
            private long read;
            /** At end-of-stream without a delimiter: the part's last bytes end here in buf. */
            private int tailEnd = -1;
            private boolean ended;

            ContentStream(long declared) {
                this.declared = declared;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                if (state == State.FAILED) {
                    throw failure;
                }
                if (ended || streaming != this) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                try {
                    return readSome(b, off, len);
                } catch (MalformedMultipartException e) {
                    state = State.FAILED;
                    failure = e;
                    throw e;
                } catch (IOException e) {
                    RuntimeException failed = unreadable(e);
                    state = State.FAILED;
                    failure = failed;
                    throw failed;
                }
            }

            private int readSome(byte[] b, int off, int len) throws IOException {
                if (pausedEnd > pos) {
                    int n = Math.min(len, pausedEnd - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    read += n;
                    return n;
                }
                if (tailEnd >= 0) {
                    int n = Math.min(len, tailEnd - pos);
                    if (n == 0) {
                        pos = limit;
                        state = State.DONE;
                        ended = true;
                        return -1;
                    }
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    read += n;
                    return n;
                }
                ArrayTarget target = new ArrayTarget(b, off, len);
                int r = scanToDelimiter(target);
                read += target.count;
                if (r == PAUSED) {
                    return target.count;
                }
                if (r == NOT_FOUND) {
                    tailEnd = limit - tailTrim(limit - pos);
                    return target.count > 0 ? target.count : readSome(b, off, len);
                }
                state = r == FOUND_PART ? State.AT_HEADERS : State.DONE;
                ended = true;
                if (declared >= 0 && read != declared) {
                    throw new MalformedMultipartException("part " + partNumber + ": Content-Length mismatch (declared "
                            + declared + ", received " + read + " bytes)");
                }
                return target.count > 0 ? target.count : -1;
            }

            /** At end-of-stream, the same rules as for a held part: how many of the rem bytes left are not content. */
            private int tailTrim(int rem) {
                long total = read + rem;
                if (declared >= 0) {
                    if (total == declared) {
                        return 0;
                    }
                    if (total == declared + 2 && rem >= 2 && buf[limit - 2] == '\r' && buf[limit - 1] == '\n') {
                        return 2;
                    }
                    throw new MalformedMultipartException("multipart body truncated: part " + partNumber
                            + " not terminated by a boundary delimiter (received " + total
                            + " bytes, declared Content-Length " + declared + ")");
                }
                throw new MalformedMultipartException("multipart body truncated: part " + partNumber
                        + " not terminated by a boundary delimiter (received " + total + " bytes, no Content-Length)");
            }

            void skipRest() throws IOException {
                byte[] scratch = new byte[8192];
                while (read(scratch, 0, scratch.length) >= 0) {
                    // discarded
                }
            }
        }

        private void fail(RuntimeException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }

        /**
         * The next part's headers (the preamble skipped before the first), counted; null (with state DONE) when there
         * are no more parts.
         */
        private LinkedHashMap<String, String> nextPartHeaders() throws IOException {
            if (state == State.PREAMBLE) {
                int r = scanToDelimiter(null);
                if (r == NOT_FOUND) {
                    throw new MalformedMultipartException("no multipart boundary found");
                }
                if (r == FOUND_END) {
                    state = State.DONE;
                    return null;
                }
                state = State.AT_HEADERS;
            }
            LinkedHashMap<String, String> headers = readHeaders();
            if (headers == null) { // EOF right after a delimiter line
                state = State.DONE;
                return null;
            }
            partNumber++;
            return headers;
        }

        /** @return the next part, or null (with state DONE) when there are no more parts */
        private BodyPart readNextPart() throws IOException {
            LinkedHashMap<String, String> headers = nextPartHeaders();
            if (headers == null) {
                return null;
            }
            long declared = BodyPart.parseLength(headers.get("content-length"));
            if (declared > maxPartBytes) {
                throw new MalformedMultipartException("part " + partNumber + " exceeds " + maxPartBytes + " bytes");
            }
            return new BodyPart(headers, readContent(declared));
        }

        // ------------------------------------------------------------------ content

        private byte[] readContent(long declared) throws IOException {
            Sink sink = new Sink(declared >= 0 ? (int) declared : Math.min(DEFAULT_INITIAL_PART_CAPACITY, maxPartBytes));
            int r = scanToDelimiter(sink);
            if (r == NOT_FOUND) {
                return finishAtEof(sink, declared);
            }
            state = r == FOUND_PART ? State.AT_HEADERS : State.DONE;
            byte[] content = sink.toArray();
            if (declared >= 0 && content.length != declared) {
                throw new MalformedMultipartException("part " + partNumber + ": Content-Length mismatch (declared "
                        + declared + ", received " + content.length + " bytes)");
            }
            return content;
        }

        /** The part ran into end-of-stream; {@code [pos, limit)} holds its not yet consumed tail. */
        private byte[] finishAtEof(Sink sink, long declared) {
            int rem = limit - pos;
            long total = (long) sink.length + rem;
            if (declared >= 0) {
                if (total == declared) {
                    sink.append(buf, pos, rem);
                    return done(sink);
                }
                if (total == declared + 2 && rem >= 2 && buf[limit - 2] == '\r' && buf[limit - 1] == '\n') {
                    sink.append(buf, pos, rem - 2);
                    return done(sink);
                }
                throw new MalformedMultipartException("multipart body truncated: part " + partNumber
                        + " not terminated by a boundary delimiter (received " + total
                        + " bytes, declared Content-Length " + declared + ")");
            }
            throw new MalformedMultipartException("multipart body truncated: part " + partNumber
                    + " not terminated by a boundary delimiter (received " + total + " bytes, no Content-Length)");
        }

        private byte[] done(Sink sink) {
            pos = limit;
            state = State.DONE;
            return sink.toArray();
        }

        /**
         * Searches from {@code pos} for the next real delimiter. Bytes before it are appended to
         * {@code sink} (or discarded if null). On FOUND_PART, {@code pos} is at the next part's
         * header block; on NOT_FOUND (EOF), the bytes {@code [pos, limit)} were not consumed yet.
         */
        private int scanToDelimiter(Target sink) throws IOException {
            final int m = delimiter.length();
            int from = pos;
            while (true) {
                int idx = delimiter.indexIn(buf, from, limit);
                if (idx >= 0) {
                    int c = delimiter.classify(buf, idx, limit, eof);
                    if (c == Delimiter.NOT_DELIMITER) {
                        from = idx + 1;
                        continue;
                    }
                    if (!consume(sink, idx)) {
                        return PAUSED;
                    }
                    if (c == Delimiter.NEED_MORE) {
                        // pos == idx now; keep the candidate and read the bytes following it
                        if (limit - pos == buf.length) {
                            throw new MalformedMultipartException("transport padding after boundary delimiter too long");
                        }
                        fill();
                        from = pos;
                        continue;
                    }
                    if (c == Delimiter.CLOSE) {
                        pos = Math.min(limit, idx + m + 2);
                        return FOUND_END;
                    }
                    pos = c;
                    return c == limit && eof ? FOUND_END : FOUND_PART;
                }
                // No delimiter starts before limit - (m - 1); those bytes are data.
                int safe = Math.max(pos, limit - (m - 1));
                if (!consume(sink, safe)) {
                    return PAUSED;
                }
                if (eof) {
                    return NOT_FOUND;
                }
                fill();
                from = pos;
            }
        }

        /**
         * Appends {@code [pos, end)} to the sink (if any), as much as it has room for, and advances {@code pos}.
         *
         * @return false when the sink filled up before {@code end}
         */
        private boolean consume(Target sink, int end) {
            if (end > pos) {
                int n = sink == null ? end - pos : Math.min(end - pos, sink.room());
                if (sink != null) {
                    sink.append(buf, pos, n);
                }
                pos += n;
            }
            if (pos < end) {
                pausedEnd = end;
                return false;
            }
            return true;
        }

        // ------------------------------------------------------------------ headers

        /**
         * Reads the header block at {@code pos}, up to and including the empty line.
         *
         * @return the headers, or null if the stream ended right at {@code pos}
         */
        private LinkedHashMap<String, String> readHeaders() throws IOException {
            int scan = 0;       // relative to pos: next byte to examine
            int lineStart = 0;  // relative to pos
            while (true) {
                if (pos + scan >= limit) {
                    if (scan >= MAX_HEADER_BYTES) {
                        throw new MalformedMultipartException("part headers exceed " + MAX_HEADER_BYTES + " bytes");
                    }
                    if (eof || !fill()) {
                        if (scan == 0) {
                            return null;
                        }
                        throw new MalformedMultipartException("multipart body truncated in part headers");
                    }
                    continue;
                }
                int abs = pos + scan;
                int stop = Math.min(limit, pos + MAX_HEADER_BYTES);
                while (abs < stop && buf[abs] != '\n') {
                    abs++;
                }
                if (abs == stop) {
                    scan = abs - pos;
                    if (scan >= MAX_HEADER_BYTES) {
                        throw new MalformedMultipartException("part headers exceed " + MAX_HEADER_BYTES + " bytes");
                    }
                    continue;
                }
                // buf[abs] == '\n'
                int lineEnd = abs - pos;
                int contentLen = lineEnd - lineStart;
                if (contentLen > 0 && buf[abs - 1] == '\r') {
                    contentLen--;
                }
                if (contentLen == 0) {
                    LinkedHashMap<String, String> headers = parseHeaderBlock(pos, lineStart);
                    pos = abs + 1;
                    return headers;
                }
                scan = lineEnd + 1;
                lineStart = scan;
            }
        }

        private LinkedHashMap<String, String> parseHeaderBlock(int start, int length) {
            LinkedHashMap<String, String> headers = new LinkedHashMap<>();
            if (length == 0) {
                return headers;
            }
            String block = new String(buf, start, length, StandardCharsets.ISO_8859_1);
            String lastName = null;
            int p = 0;
            while (p < block.length()) {
                int nl = block.indexOf('\n', p);
                int end = nl < 0 ? block.length() : nl;
                String line = block.substring(p, end);
                p = end + 1;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isEmpty()) {
                    continue;
                }
                char first = line.charAt(0);
                if (first == ' ' || first == '\t') {
                    if (lastName == null) {
                        throw new MalformedMultipartException("malformed header in part " + (partNumber + 1)
                                + ": continuation line without a header");
                    }
                    String folded = line.trim();
                    if (!folded.isEmpty()) {
                        String prev = headers.get(lastName);
                        headers.put(lastName, prev.isEmpty() ? folded : prev + ' ' + folded);
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                String name = colon > 0 ? line.substring(0, colon).trim() : "";
                if (name.isEmpty() || !MediaType.isToken(name)) {
                    throw new MalformedMultipartException("malformed header line in part " + (partNumber + 1));
                }
                name = name.toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
                lastName = name;
            }
            return headers;
        }

        // ------------------------------------------------------------------ buffer

        /**
         * Moves {@code [pos, limit)} to the start of the buffer and reads more bytes (one block).
         *
         * @return false if the stream is at EOF
         */
        private boolean fill() throws IOException {
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

        /** Where scanned content goes. */
        private interface Target {
            int room();

            void append(byte[] src, int off, int n);
        }

        /** The caller's array of a content stream read. */
        private static final class ArrayTarget implements Target {
            private final byte[] into;
            private final int offset;
            private final int length;
            int count;

            ArrayTarget(byte[] into, int offset, int length) {
                this.into = into;
                this.offset = offset;
                this.length = length;
            }

            @Override
            public int room() {
                return length - count;
            }

            @Override
            public void append(byte[] src, int off, int n) {
                System.arraycopy(src, off, into, offset + count, n);
                count += n;
            }
        }

        /** Growable byte array bounded by maxPartBytes; trimmed once at the end. */
        private final class Sink implements Target {
            private byte[] data;
            private int length;
            private final int initialCapacity;

            Sink(int initialCapacity) {
                this.initialCapacity = initialCapacity;
            }

            @Override
            public int room() {
                return Integer.MAX_VALUE;
            }

            @Override
            public void append(byte[] src, int off, int n) {
                if (n <= 0) {
                    return;
                }
                long needed = (long) length + n;
                if (needed > maxPartBytes) {
                    throw new MalformedMultipartException("part " + partNumber + " exceeds " + maxPartBytes + " bytes");
                }
                if (data == null) {
                    data = new byte[Math.max((int) needed, initialCapacity)];
                } else if (needed > data.length) {
                    long grown = Math.max(needed, (long) data.length * 2);
                    data = Arrays.copyOf(data, (int) Math.min(grown, maxPartBytes));
                }
                System.arraycopy(src, off, data, length, n);
                length = (int) needed;
            }

            byte[] toArray() {
                if (data == null) {
                    return new byte[0];
                }
                return length == data.length ? data : Arrays.copyOf(data, length);
            }
        }
    }
}
