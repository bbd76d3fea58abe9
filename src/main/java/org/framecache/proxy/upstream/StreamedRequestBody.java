package org.framecache.proxy.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.framecache.proxy.http.ProxyException;

/**
 * A request body (STOW-RS) sent on to the store as it arrives, never held whole: the route takes the server's
 * request paused (no body handler), and the store call reads it through a stream that asks the connection for a
 * few chunks at a time, so a request costs at most {@link #WINDOW} chunks of memory however large it is.
 * <ul>
 * <li>More than {@code maxBytes} (the declared Content-Length at once, or counted as it arrives): 413.</li>
 * <li>No byte for {@code idleMillis}: the upload is abandoned (the store call with it) and the client gets 408.</li>
 * </ul>
 */
public final class StreamedRequestBody {
    /** Chunks asked for ahead of the reader: a Vert.x chunk is at most a few KiB. */
    static final int WINDOW = 4;

    private final long maxBytes;
    private final long idleMillis;

    public StreamedRequestBody(long maxBytes, long idleMillis) {
        this.maxBytes = maxBytes;
        this.idleMillis = idleMillis;
    }

    /** Before the pass-through call: the paused request as a streamed entity, or no body for a bodiless request. */
    public void prepare(Exchange exchange) {
        if (!(exchange.getIn().getBody() instanceof HttpServerRequest request)) {
            return;
        }
        String length = request.getHeader("Content-Length");
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (!chunked && (length == null || length.strip().equals("0"))) {
            exchange.getIn().setBody(null);
            return;
        }
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw ProxyException.badRequest("Content-Length is not a number");
            }
        }
        if (declared > maxBytes) {
            throw tooLarge();
        }
        String type = request.getHeader("Content-Type");
        exchange.getIn().setBody(new InputStreamEntity(new Body(request), chunked ? -1 : declared,
                type == null ? null : ContentType.parse(type)));
    }

    private ProxyException tooLarge() {
        return new ProxyException(413, "request body larger than " + maxBytes + " bytes (proxy.max-request-body-bytes)");
    }

    /** The request's bytes, fetched from the connection as the reader (the store call) consumes them. */
    private final class Body extends InputStream {
        private final HttpServerRequest request;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();
        private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
        private Buffer current;
        private int position;
        private long received;
        private boolean ended;
        private Throwable failure;

        Body(HttpServerRequest request) {
            this.request = request;
            request.handler(this::chunk);
            request.endHandler(v -> signal(() -> ended = true));
            request.exceptionHandler(e -> signal(() -> failure = e));
            request.fetch(WINDOW);
        }

        private void chunk(Buffer buffer) {
            signal(() -> {
                chunks.add(buffer);
                received += buffer.length();
            });
        }

        private void signal(Runnable change) {
            lock.lock();
            try {
                change.run();
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (current == null || position == current.length()) {
                current = next();
                position = 0;
                if (current == null) {
                    return -1;
                }
            }
            int n = Math.min(length, current.length() - position);
            current.getBytes(position, position + n, into, offset);
            position += n;
            return n;
        }

        /** The next chunk, null at the end; asks the connection for one more chunk for each taken. */
        private Buffer next() throws IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idleMillis);
            lock.lock();
            try {
                while (chunks.isEmpty() && !ended && failure == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ProxyException(408, "request body: no bytes for " + idleMillis
                                + " ms (proxy.request-body-idle-ms)");
                    }
                    arrived.awaitNanos(left);
                }
                if (received > maxBytes) {
                    throw tooLarge();
                }
                if (!chunks.isEmpty()) {
                    Buffer chunk = chunks.poll();
                    request.fetch(1);
                    return chunk;
                }
                if (failure != null) {
                    // the client's doing, not the store's: not an I/O failure the breaker would count
                    throw new ProxyException(400, "the request body ended early: " + failure.getMessage(), failure);
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the request body");
            } finally {
                lock.unlock();
            }
        }
    }
}
