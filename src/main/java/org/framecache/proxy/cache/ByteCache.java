package org.framecache.proxy.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A key/value store of frame bytes with a fixed time-to-live. Implementations never throw to the request path: a
 * cache that cannot answer reports misses and drops writes, so requests go to the store instead of failing.
 */
public interface ByteCache extends AutoCloseable {

    /** Values for the keys, in order; null where missing. One round trip. */
    List<byte[]> getAll(List<String> keys);

    /**
     * Values held in this process, in order; null where missing or held only elsewhere (Redis). Never waits on
     * the network: safe on an event loop.
     */
    default List<byte[]> getAllInProcess(List<String> keys) {
        return java.util.Collections.nCopies(keys.size(), null);
    }

    /** Writes all entries with the cache's TTL. One round trip; best effort. */
    void putAll(Map<String, byte[]> entries);

    /**
     * Sets each marker that does not exist yet, with an expiry: true where this caller now holds it. Caches
     * private to one process hold every marker (in-process coalescing already covers them).
     */
    default List<Boolean> mark(List<String> keys, Duration expiry) {
        return java.util.Collections.nCopies(keys.size(), Boolean.TRUE);
    }

    /** Removes markers this caller holds. */
    default void unmark(List<String> keys) {
    }

    /** False while the cache is known to be unreachable (requests then go to the store). */
    default boolean isAvailable() {
        return true;
    }

    /** Bytes held in this process (the in-process cache), 0 when the cache lives elsewhere. */
    default long sizeInBytes() {
        return 0;
    }

    /** Entries evicted for room in this process, 0 when the cache lives elsewhere (Redis evicts by its own policy). */
    default long evictions() {
        return 0;
    }

    /** One line for health and logs: "up", or why not. */
    default String status() {
        return "up";
    }

    /** For logs: what this cache is, e.g. "redis://127.0.0.1:6379 (ttl 3600 s)". */
    String describe();

    @Override
    void close();
}
