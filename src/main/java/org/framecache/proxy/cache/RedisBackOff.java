package org.framecache.proxy.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What requests skip after a Redis failure, and until when: {@link #WHOLE} (not connected, the one server, or
 * Sentinel's primary) or one cluster master, by its address, for the retry time. A miss then costs nothing instead
 * of a timeout per request; once the time has passed, the next request asks again.
 */
final class RedisBackOff {
    /** The back-off key for the whole of Redis (not connected; one server; Sentinel's primary). */
    static final Object WHOLE = "all of Redis";

    private final long retryNanos;
    /** Until when (System.nanoTime) requests skip Redis: {@link #WHOLE}, or a cluster master by its address. */
    private final Map<Object, Long> awayUntil = new ConcurrentHashMap<>();

    RedisBackOff(Duration retryAfter) {
        this.retryNanos = retryAfter.toNanos();
    }

    /** Whether requests skip {@code node} now; an expired back-off is forgotten. */
    boolean away(Object node) {
        Long until = awayUntil.get(node);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        awayUntil.remove(node, until);
        return false;
    }

    /** Requests skip {@code node} for the retry time from now. */
    void skip(Object node) {
        awayUntil.put(node, System.nanoTime() + retryNanos);
    }

    /** The cluster masters skipped now (the whole of Redis aside), named by their addresses. */
    List<String> skippedMasters() {
        List<String> skipped = new ArrayList<>();
        awayUntil.forEach((node, until) -> {
            if (node != WHOLE && System.nanoTime() - until < 0) {
                skipped.add(node.toString());
            }
        });
        return skipped;
    }

    long retryMillis() {
        return retryNanos / 1_000_000;
    }
}
