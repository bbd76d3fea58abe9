package org.framecache.proxy.frames;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.ExchangeProperty;

import org.apache.camel.Exchange;
import org.framecache.proxy.http.Failures;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameClaim;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.upstream.UpstreamResponse;

/**
 * One upstream fetch per frame inside this process: a request that misses a frame another request is already
 * fetching (same cache key) waits for that result instead of asking the store again. Whoever claims a frame
 * must release it, on failure too, so that no one waits longer than the fetch itself.
 */
public final class InFlightFrames {

    public static final String MARKERS = "replicaMarkers";

    private final Map<String, CompletableFuture<CachedFrame>> inFlight = new ConcurrentHashMap<>();
    private final FrameCache cache;
    private final long waitMillis;
    private final Duration markerExpiry;
    private final Duration replicaWait;
    private final LongAdder coalesced = new LongAdder();
    private final long callerDeadlineMillis;

    public InFlightFrames(FrameCache cache, long waitMillis, Duration markerExpiry, Duration replicaWait) {
        this(cache, waitMillis, markerExpiry, replicaWait, 0);
    }

    /**
     * @param callerDeadlineMillis a waiting request gives up this long after it arrived (the deadline of its own
     *                             store call, had it made one); 0 for no such limit
     */
    public InFlightFrames(FrameCache cache, long waitMillis, Duration markerExpiry, Duration replicaWait,
                          long callerDeadlineMillis) {
        this.cache = cache;
        this.waitMillis = waitMillis;
        this.markerExpiry = markerExpiry;
        this.replicaWait = replicaWait;
        this.callerDeadlineMillis = callerDeadlineMillis;
    }

    /**
     * After the cache lookup: each missing frame is either claimed by this request or awaited from another one in
     * this process; claimed frames another replica is already loading are then awaited in the shared cache.
     */
    public void claim(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        claimInProcess(request);
        exchange.setProperty(MARKERS, cache.claimAcrossReplicas(request, markerExpiry, replicaWaitFor(exchange)));
    }

    /** proxy.replica-wait-ms, or what is left of the request's own deadline when that is less. */
    private Duration replicaWaitFor(Exchange exchange) {
        return Duration.ofMillis(Math.min(replicaWait.toMillis(), millisLeft(exchange)));
    }

    /** What is left of the request's own deadline, counted from its arrival (never negative); no deadline: max. */
    private long millisLeft(Exchange exchange) {
        if (callerDeadlineMillis <= 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, exchange.getClock().getCreated() + callerDeadlineMillis - System.currentTimeMillis());
    }

    void claimInProcess(FrameRequest request) {
        for (int frame : request.getMissing()) {
            String key = cache.key(request, frame, request.getRepresentation());
            CompletableFuture<CachedFrame> mine = new CompletableFuture<>();
            CompletableFuture<CachedFrame> other = inFlight.putIfAbsent(key, mine);
            if (other == null) {
                request.claim(frame, new FrameClaim(key, mine));
            } else {
                request.await(frame, other);
                coalesced.increment();
            }
        }
    }

    /** Always runs after fetching: hands every claimed frame (or the failure) to those waiting for it. */
    public void release(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        if (request == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> markers = (List<String>) exchange.removeProperty(MARKERS);
        cache.releaseMarkers(markers);
        // handed over once (right after fetching; onCompletion only catches what an error skipped)
        Map<Integer, FrameClaim> claims = Map.copyOf(request.getClaims());
        request.getClaims().clear();
        boolean timedOut = UpstreamResponse.failedByTimeout(exchange);
        ProxyException refused = refusal(exchange);
        claims.forEach((frame, claim) -> {
            CachedFrame found = request.get(frame);
            if (found != null) {
                claim.result().complete(found);
            } else if (refused != null) {
                // the same key asks the same thing: a waiter gets the same answer (e.g. 503 from the render budget)
                claim.result().completeExceptionally(refused);
            } else if (timedOut) {
                claim.result().completeExceptionally(new ProxyException(504, "the fetch of frame " + frame
                        + " this request waited for timed out"));
            } else {
                claim.result().completeExceptionally(new ProxyException(502, "the fetch of frame " + frame
                        + " this request waited for failed"));
            }
            inFlight.remove(claim.key(), claim.result());
        });
    }

    /**
     * The proxy's own refusal that ended the exchange, which its waiters share (same key, same parameters): 400 (e.g.
     * a viewport outside the frame), 406, 413 (an answer over the budget), 503 (a limit of the proxy). Not 401/403:
     * those are one caller's credentials, and each waiter passed its own access check.
     */
    private static final java.util.Set<Integer> SHARED_REFUSALS = java.util.Set.of(400, 406, 413, 503);

    private static ProxyException refusal(Exchange exchange) {
        return Failures.of(exchange).filter(ProxyException.class::isInstance).map(ProxyException.class::cast)
                .filter(p -> SHARED_REFUSALS.contains(p.getStatus())).findFirst().orElse(null);
    }

    /**
     * Before answering: collects the frames other requests fetched for this one, waiting no longer than this
     * request's own deadline (counted from its arrival) and proxy.coalesce-wait-ms.
     */
    public void await(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request, Exchange exchange) {
        long wait = Math.min(waitMillis, millisLeft(exchange));
        awaitUntil(request, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
    }

    void await(FrameRequest request) {
        awaitUntil(request, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis));
    }

    private void awaitUntil(FrameRequest request, long deadline) {
        // a copy: each frame received leaves the request's awaited map
        for (Map.Entry<Integer, CompletableFuture<CachedFrame>> awaited : List.copyOf(request.getAwaited().entrySet())) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                CachedFrame frame = awaited.getValue().get(left, TimeUnit.NANOSECONDS);
                boolean substitute = !frame.contentType().contains("transfer-syntax") && !request.getRepresentation().rendered();
                if (substitute && request.getFallback() == null) {
                    // the fetch this request waited for ended in the rendered fallback, which it does not accept
                    throw new ProxyException(502, "the store could not provide frame " + awaited.getKey()
                            + " as raw pixel data");
                }
                request.put(awaited.getKey(), frame);
                if (substitute) {
                    request.countFetched(true);
                } else {
                    request.countFromOthers();
                }
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
