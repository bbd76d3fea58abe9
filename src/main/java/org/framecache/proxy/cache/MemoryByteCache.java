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
    /** G1's region size in this JVM; 0 under another collector. */
    public static final long REGION = g1RegionSize();

    private final Cache<String, byte[]> cache;
    private final long maxBytes;
    private final Duration ttl;

    public MemoryByteCache(long maxBytes, Duration ttl) {
        this.maxBytes = maxBytes;
        this.ttl = ttl;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, byte[] value) -> (int) Math.min(Integer.MAX_VALUE,
                        heapBytes(value.length, REGION) + 2L * key.length() + ENTRY_OVERHEAD))
                .expireAfterWrite(ttl)
                .recordStats()
                .build();
    }

    /**
     * What a value of {@code length} bytes takes of the heap: G1 keeps an array of half a region or more in whole
     * regions of its own (a 3 MiB frame in four 1 MiB regions, as with -Xmx384m), so such a value weighs that much.
     */
    public static long heapBytes(long length, long region) {
        if (region <= 0 || length < region / 2) {
            return length;
        }
        return (length + 16 + region - 1) / region * region; // 16: the array's header
    }

    private static long g1RegionSize() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (!"true".equals(vm.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException e) {
            return 0; // not HotSpot: values weigh their length
        }
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

    /** Evicts now what Caffeine would evict soon after (tests). */
    void cleanUp() {
        cache.cleanUp();
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
