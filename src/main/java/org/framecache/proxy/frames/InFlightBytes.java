package org.framecache.proxy.frames;

import java.util.concurrent.atomic.AtomicLong;

import org.framecache.proxy.cache.MemoryByteCache;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.FrameRequest;

/**
 * What the requests in flight hold in heap beyond the in-process cache, for the whole process: parts read from the
 * store and frames loaded from Redis, counted as they arrive and given back when the request is done. Past
 * {@code proxy.max-inflight-bytes} a request is refused (503) where it would take more: proxy.max-answer-bytes
 * bounds one request, this bounds them all, so that many large requests at once cannot exhaust the heap. Frames
 * found in the in-process tier cost nothing here (the cache holds them anyway).
 */
public final class InFlightBytes {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    public InFlightBytes(long max) {
        this.max = max;
    }

    /**
     * Counts an array of {@code length} bytes the request now holds, as the heap holds it (G1 rounds a large one up to
     * whole regions); 503 when the process would hold more than its maximum.
     */
    public void hold(FrameRequest request, long length) {
        if (length <= 0) {
            return;
        }
        long bytes = MemoryByteCache.heapBytes(length, MemoryByteCache.REGION);
        long own = request.holdBytes(bytes); // given back at completion, refused or not
        long all = held.addAndGet(bytes);
        if (own > max) {
            // never going to fit, however long it waits
            throw new ProxyException(413, "the frames asked for add up to more than the proxy holds for all requests"
                    + " at once (proxy.max-inflight-bytes, with proxy.max-answer-bytes): ask for fewer frames at a time");
        }
        if (all > max) {
            throw new ProxyException(503, "the proxy holds too many large answers at once"
                    + " (proxy.max-inflight-bytes): try again shortly");
        }
    }

    /** When the request is done: what it held is given back (once). */
    public void release(FrameRequest request) {
        if (request != null) {
            held.addAndGet(-request.takeHeldBytes());
        }
    }

    /** Bytes held now by requests in flight. */
    public long getHeld() {
        return held.get();
    }
}
