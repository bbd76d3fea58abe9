package org.framecache.proxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.framecache.proxy.cache.ByteCache;

/** A cache that records the keys of every lookup (one list per round trip), backed by another. */
public final class RecordingByteCache implements ByteCache {
    public final List<List<String>> lookups = new ArrayList<>();
    private final ByteCache backing;

    public RecordingByteCache(ByteCache backing) {
        this.backing = backing;
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        lookups.add(List.copyOf(keys));
        return backing.getAll(keys);
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        backing.putAll(entries);
    }

    @Override
    public String describe() {
        return "recording " + backing.describe();
    }

    @Override
    public void close() {
        backing.close();
    }
}
