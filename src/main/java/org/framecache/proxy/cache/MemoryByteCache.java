package org.framecache.proxy.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** The embedded default: an in-process cache bounded in bytes (Caffeine's W-TinyLFU eviction), with a TTL. */
public final class MemoryByteCache implements ByteCache {
    /** Rough per-entry overhead so that many tiny frames cannot exceed the budget unnoticed. */
    private static final int ENTRY_OVERHEAD = 96;

    private final Cache<String, byte[]> cache;
    private final long maxBytes;
    private final Duration ttl;

    public MemoryByteCache(long maxBytes, Duration ttl) {
        this.maxBytes = maxBytes;
        this.ttl = ttl;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, byte[] value) -> value.length + 2 * key.length() + ENTRY_OVERHEAD)
                .expireAfterWrite(ttl)
                .recordStats()
                .build();
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        List<byte[]> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(cache.getIfPresent(key));
        }
        return values;
    }

    @Override
    public List<byte[]> getAllInProcess(List<String> keys) {
        return getAll(keys);
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        cache.putAll(entries);
    }

    @Override
    public long sizeInBytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    @Override
    public long evictions() {
        return cache.stats().evictionCount();
    }

    @Override
    public String describe() {
        return "in-process cache (max " + maxBytes / (1024 * 1024) + " MiB, ttl " + ttl.toSeconds() + " s)";
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
