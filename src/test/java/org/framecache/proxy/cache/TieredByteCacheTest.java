package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.framecache.proxy.testing.RecordingByteCache;
import org.junit.jupiter.api.Test;

class TieredByteCacheTest {

    private final MemoryByteCache near = new MemoryByteCache(1 << 20, Duration.ofMinutes(1));
    private final MemoryByteCache farValues = new MemoryByteCache(1 << 20, Duration.ofMinutes(1));
    private final RecordingByteCache far = new RecordingByteCache(farValues);
    private final TieredByteCache tiers = new TieredByteCache(near, far);

    @Test
    void nearHitsNeverReachTheFarTier() {
        tiers.putAll(Map.of("a", new byte[] {1}));
        assertArrayEquals(new byte[] {1}, tiers.getAll(List.of("a")).get(0));
        assertEquals(0, far.lookups.size());
        assertArrayEquals(new byte[] {1}, farValues.getAll(List.of("a")).get(0), "written through to the far tier");
    }

    @Test
    void farHitsArePromotedAndOnlyNearMissesAreAskedForInOneRoundTrip() {
        far.putAll(Map.of("b", new byte[] {2}, "c", new byte[] {3}));
        near.putAll(Map.of("a", new byte[] {1}));
        List<byte[]> values = tiers.getAll(List.of("a", "b", "x", "c"));
        assertArrayEquals(new byte[] {1}, values.get(0));
        assertArrayEquals(new byte[] {2}, values.get(1));
        assertNull(values.get(2));
        assertArrayEquals(new byte[] {3}, values.get(3));
        assertEquals(List.of(List.of("b", "x", "c")), far.lookups, "one far round trip, near misses only");

        tiers.getAll(List.of("b", "c"));
        assertEquals(1, far.lookups.size(), "promoted: the second lookup stays near");
    }
}
