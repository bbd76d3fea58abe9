package org.framecache.proxy.cache;

import java.util.List;
import java.util.Map;

/**
 * A key/value store of frame bytes with a fixed time-to-live. Implementations never throw to the request path: a
 * cache that cannot answer reports misses and drops writes, so requests go to the store instead of failing.
 */
public interface ByteCache extends AutoCloseable {

    /** Values for the keys, in order; null where missing. One round trip. */
    List<byte[]> getAll(List<String> keys);

    /** Writes all entries with the cache's TTL. One round trip; best effort. */
    void putAll(Map<String, byte[]> entries);

    /** For logs: what this cache is, e.g. "redis://127.0.0.1:6379 (ttl 3600 s)". */
    String describe();

    @Override
    void close();
}
