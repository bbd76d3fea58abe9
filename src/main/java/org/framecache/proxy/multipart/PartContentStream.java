package org.framecache.proxy.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One streamed part's content, read from the body as asked for: at most the caller's buffer at a time, never held.
 * It ends at the part's delimiter (or, for a last part ended by end-of-stream, where its Content-Length says); a
 * failure fails the whole iteration.
 */
final class PartContentStream extends InputStream {
    private final PartIterator parts;
    private final BodyWindow window;
    private final DelimiterScanner scanner;
    private final long declared;
    private final int partNumber;
    private long read;
    /** At end-of-stream without a delimiter: the part's last bytes end here in buf. */
    private int tailEnd = -1;
    private boolean ended;

    PartContentStream(PartIterator parts, BodyWindow window, DelimiterScanner scanner, long declared, int partNumber) {
        this.parts = parts;
        this.window = window;
        this.scanner = scanner;
        this.declared = declared;
        this.partNumber = partNumber;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        parts.throwIfFailed();
        if (ended || !parts.isStreaming(this)) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            return readSome(b, off, len);
        } catch (MalformedMultipartException e) {
            throw parts.failed(e);
        } catch (IOException e) {
            throw parts.failed(PartIterator.unreadable(e));
        }
    }

    private int readSome(byte[] b, int off, int len) throws IOException {
        final BodyWindow w = window;
        if (w.pausedEnd > w.pos) {
            int n = Math.min(len, w.pausedEnd - w.pos);
            System.arraycopy(w.buf, w.pos, b, off, n);
            w.pos += n;
            read += n;
            return n;
        }
        if (tailEnd >= 0) {
            int n = Math.min(len, tailEnd - w.pos);
            if (n == 0) {
                w.pos = w.limit;
                parts.contentEnded(false);
                ended = true;
                return -1;
            }
            System.arraycopy(w.buf, w.pos, b, off, n);
            w.pos += n;
            read += n;
            return n;
        }
        CallerArray target = new CallerArray(b, off, len);
        int r = scanner.scan(target);
        read += target.count;
        if (r == DelimiterScanner.PAUSED) {
            return target.count;
        }
        if (r == DelimiterScanner.NOT_FOUND) {
            tailEnd = w.limit - scanner.tailToDrop(read, declared, partNumber);
            return target.count > 0 ? target.count : readSome(b, off, len);
        }
        parts.contentEnded(r == DelimiterScanner.FOUND_PART);
        ended = true;
        if (declared >= 0 && read != declared) {
            throw new MalformedMultipartException("part " + partNumber + ": Content-Length mismatch (declared "
                    + declared + ", received " + read + " bytes)");
        }
        return target.count > 0 ? target.count : -1;
    }

    /** Reads to the part's end, dropping the bytes: the caller moved on to the next part. */
    void skipRest() throws IOException {
        byte[] scratch = new byte[8192];
        while (read(scratch, 0, scratch.length) >= 0) {
            // discarded
        }
    }

    /** The caller's array of one read: the scan copies into it straight from the window. */
    private static final class CallerArray implements ContentTarget {
        private final byte[] into;
        private final int offset;
        private final int length;
        int count;

        CallerArray(byte[] into, int offset, int length) {
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
}
