package org.framecache.proxy.frames;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A prefetched instance's body, counted as it is read: more than the limit is a {@link TooLarge}. Closing it leaves
 * the body open (the HTTP client closes, or aborts, the body).
 */
final class CountedBody extends FilterInputStream {
    /** The instance is over prefetch.max-instance-bytes, found from its length or while reading it. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final long limit;
    private long count;

    CountedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) throws TooLarge {
        count += n;
        if (count > limit) {
            throw new TooLarge("more than " + limit + " bytes read");
        }
    }

    @Override
    public void close() {
        // the HTTP client closes (or aborts) the body
    }
}
