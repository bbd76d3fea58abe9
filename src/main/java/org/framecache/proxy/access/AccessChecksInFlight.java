package org.framecache.proxy.access;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.upstream.UpstreamResponse;

/**
 * Access checks being asked of the store, one per (caller, instance): while one request asks, the others for the
 * same wait for its answer instead of asking too (when a decision expires under load, one metadata call, not one
 * per request in flight).
 */
final class AccessChecksInFlight {
    private static final String ASKING_PROPERTY = "askingStoreForAccess";
    /** (caller, instance) → completed when the request asking the store for it is done. */
    private final Map<String, CompletableFuture<Void>> asking = new ConcurrentHashMap<>();
    private final long waitMillis;
    private volatile long callerDeadlineMillis;

    AccessChecksInFlight(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    /** A waiting request gives up this long after it arrived (the deadline of its own store call); 0 for no limit. */
    void setCallerDeadlineMillis(long callerDeadlineMillis) {
        this.callerDeadlineMillis = callerDeadlineMillis;
    }

    /**
     * True when this request must ask the store for {@code key}: no one is asking (this request is now the one), or
     * the one asking learned nothing in time. False when that check is done: its decision may be remembered now.
     * Throws 504 when this request's own deadline passes while waiting, or when the check it waited for timed out.
     */
    boolean mustAsk(Exchange exchange, String key) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other = asking.putIfAbsent(key, mine);
        if (other == null) {
            exchange.setProperty(ASKING_PROPERTY, key);
            return true;
        }
        long wait = waitMillis;
        boolean untilOwnDeadline = false;
        if (callerDeadlineMillis > 0) {
            long left = exchange.getClock().getCreated() + callerDeadlineMillis - System.currentTimeMillis();
            untilOwnDeadline = left < wait;
            wait = Math.max(0, Math.min(wait, left));
        }
        try {
            other.get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (TimeoutException e) {
            if (untilOwnDeadline) {
                throw new ProxyException(504, "the store's access decision did not come within this request's deadline");
            }
            return true; // the other request learned nothing in time: ask the store ourselves
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProxyException p) {
                throw p; // the store did not answer the other request in time: no time left to ask again
            }
            return true; // the other request learned nothing: ask the store ourselves
        }
        return false;
    }

    /**
     * When the request is done, however its call to the store went: the requests waiting for what this one would
     * learn stop waiting (they find the decision it recorded, or ask themselves).
     */
    void done(Exchange exchange) {
        String key = exchange.removeProperty(ASKING_PROPERTY) instanceof String k ? k : null;
        if (key != null) {
            CompletableFuture<Void> pending = asking.remove(key);
            if (pending != null && UpstreamResponse.failedByTimeout(exchange)) {
                pending.completeExceptionally(new ProxyException(504, "the store did not answer the access check"
                        + " this request waited for in time"));
            } else if (pending != null) {
                pending.complete(null);
            }
        }
    }
}
