package org.framecache.proxy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream fetch per frame inside this process: a request that misses a frame another request is already
 * fetching (same cache key) waits for that result instead of asking the store again. Whoever claims a frame
 * must release it, on failure too, so that no one waits longer than the fetch itself.
 */
public final class InFlightFrames {

    /** A frame this request fetches for everyone who asks meanwhile. */
    public record Claim(String key, CompletableFuture<CachedFrame> result) {
    }

    private final Map<String, CompletableFuture<CachedFrame>> inFlight = new ConcurrentHashMap<>();
    private final FrameCache cache;
    private final long waitMillis;
    private final LongAdder coalesced = new LongAdder();

    public InFlightFrames(FrameCache cache, long waitMillis) {
        this.cache = cache;
        this.waitMillis = waitMillis;
    }

    /** After the cache lookup: each missing frame is either claimed by this request or awaited from another. */
    public void claim(FrameRequest request) {
        for (int frame : request.getMissing()) {
            String key = cache.key(request, frame, request.getRepresentation());
            CompletableFuture<CachedFrame> mine = new CompletableFuture<>();
            CompletableFuture<CachedFrame> other = inFlight.putIfAbsent(key, mine);
            if (other == null) {
                request.claim(frame, new Claim(key, mine));
            } else {
                request.await(frame, other);
                coalesced.increment();
            }
        }
    }

    /** Always runs after fetching: hands every claimed frame (or the failure) to those waiting for it. */
    public void release(FrameRequest request) {
        if (request == null) {
            return;
        }
        request.getClaims().forEach((frame, claim) -> {
            CachedFrame found = request.get(frame);
            if (found != null) {
                claim.result().complete(found);
            } else {
                claim.result().completeExceptionally(new ProxyException(502, "the fetch of frame " + frame
                        + " this request waited for failed"));
            }
            inFlight.remove(claim.key(), claim.result());
        });
    }

    /** Before answering: collects the frames other requests fetched for this one. */
    public void await(FrameRequest request) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Map.Entry<Integer, CompletableFuture<CachedFrame>> awaited : request.getAwaited().entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                request.put(awaited.getKey(), awaited.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                throw new ProxyException(504, "frame " + awaited.getKey() + " was still being fetched by another request");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ProxyException p ? p : new ProxyException(502, e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProxyException(503, "interrupted while waiting for a frame");
            }
        }
    }

    /** Frames served from another request's fetch instead of a fetch of their own. */
    public long getCoalesced() {
        return coalesced.sum();
    }

    public int inFlightCount() {
        return inFlight.size();
    }
}
