package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The in-process tier counts what its values take of the heap, not only their length. */
class MemoryByteCacheTest {
    private static final long MIB = 1 << 20;

    @Test
    void aValueOfHalfARegionOrMoreWeighsTheWholeRegionsG1KeepsItIn() {
        assertEquals(100_000, MemoryByteCache.heapBytes(100_000, MIB), "small values share regions");
        assertEquals(MIB, MemoryByteCache.heapBytes(MIB / 2, MIB), "half a region is humongous");
        assertEquals(4 * MIB, MemoryByteCache.heapBytes(3 * MIB + 3, MIB), "a 3 MiB frame value takes four regions");
        assertEquals(4 * MIB, MemoryByteCache.heapBytes(4 * MIB - 16, MIB));
        assertEquals(5 * MIB, MemoryByteCache.heapBytes(4 * MIB, MIB), "the array header spills into a fifth");
        assertEquals(3 * MIB, MemoryByteCache.heapBytes(3 * MIB, 0), "another collector: the length");
    }

    @Test
    void theCacheHoldsNoMoreThanItsMaximumOfHeapWhateverTheValueSizes() {
        MemoryByteCache cache = new MemoryByteCache(64 * MIB, Duration.ofMinutes(1));
        int length = (int) (3 * MIB + 3);
        for (int i = 0; i < 40; i++) {
            cache.putAll(Map.of("frame-" + i, new byte[length]));
        }
        cache.cleanUp();
        long kept = cache.getAll(IntStream.range(0, 40).mapToObj(i -> "frame-" + i).toList()).stream()
                .filter(Objects::nonNull).count();
        // this JVM's regions (G1 sizes them from the heap): as many values as fit in 64 MiB of them
        long fit = 64 * MIB / MemoryByteCache.heapBytes(length, MemoryByteCache.REGION);
        assertTrue(MemoryByteCache.REGION == 0 || fit < 64 * MIB / length, "values weigh more than their length");
        assertTrue(kept <= fit && kept >= fit - 2, kept + " values kept, " + fit + " fit");
    }
}
