package org.framecache.proxy.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two tiers: a bounded in-process cache in front of the shared one (Redis), so a hot tile costs no network round
 * trip. Lookups ask the near tier first and the far tier only for what it lacks (one round trip), copying those
 * answers near; writes go to both. The near tier never outlives the far tier's TTL.
 */
public final class TieredByteCache implements ByteCache {
    private final ByteCache near;
    private final ByteCache far;

    public TieredByteCache(ByteCache near, ByteCache far) {
        this.near = near;
        this.far = far;
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        List<byte[]> values = new ArrayList<>(near.getAll(keys));
        List<String> missing = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                missing.add(keys.get(i));
                positions.add(i);
            }
        }
        if (missing.isEmpty()) {
            return values;
        }
        List<byte[]> fromFar = far.getAll(missing);
        Map<String, byte[]> promote = new HashMap<>();
        for (int i = 0; i < fromFar.size(); i++) {
            byte[] value = fromFar.get(i);
            if (value != null) {
                values.set(positions.get(i), value);
                promote.put(missing.get(i), value);
            }
        }
        near.putAll(promote);
        return values;
    }

    @Override
    public List<byte[]> getAllInProcess(List<String> keys) {
        return near.getAllInProcess(keys);
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        near.putAll(entries);
        far.putAll(entries);
    }

    @Override
    public List<Boolean> mark(List<String> keys, Duration expiry) {
        return far.mark(keys, expiry);
    }

    @Override
    public void unmark(List<String> keys) {
        far.unmark(keys);
    }

    @Override
    public boolean isAvailable() {
        return far.isAvailable();
    }

    @Override
    public String status() {
        return far.status();
    }

    @Override
    public long sizeInBytes() {
        return near.sizeInBytes();
    }

    @Override
    public long evictions() {
        return near.evictions();
    }

    @Override
    public String describe() {
        return near.describe() + " in front of " + far.describe();
    }

    @Override
    public void close() {
        near.close();
        far.close();
    }
}
