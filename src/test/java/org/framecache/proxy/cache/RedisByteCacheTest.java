package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.framecache.proxy.testing.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against the real redis-server: values, and loading markers that only their holder can remove. */
class RedisByteCacheTest {
    private static final RedisProcess REDIS = RedisProcess.shared();
    private final RedisByteCache one = cache();
    private final RedisByteCache two = cache();
    private final String key = "marker-test:" + UUID.randomUUID();

    private static RedisByteCache cache() {
        return new RedisByteCache(REDIS.url(), "", Duration.ofMinutes(1), 500, 4, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        one.close();
        two.close();
    }

    @Test
    void valuesGoInOneRoundTripAndMissesAreNull() {
        one.putAll(Map.of(key + ":a", new byte[] {1, 2}, key + ":b", new byte[] {3}));
        List<byte[]> values = two.getAll(List.of(key + ":a", key + ":missing", key + ":b"));
        assertArrayEquals(new byte[] {1, 2}, values.get(0));
        assertNull(values.get(1));
        assertArrayEquals(new byte[] {3}, values.get(2));
    }

    @Test
    void aMarkerIsHeldByOneAndOnlyItsHolderRemovesIt() throws Exception {
        assertEquals(List.of(true), one.mark(List.of(key), Duration.ofMillis(200)));
        assertEquals(List.of(false), two.mark(List.of(key), Duration.ofMillis(200)), "held by the other replica");
        Thread.sleep(400);
        assertEquals(List.of(true), two.mark(List.of(key), Duration.ofSeconds(30)), "expired: taken over");
        one.unmark(List.of(key));
        assertEquals(List.of(false), one.mark(List.of(key), Duration.ofSeconds(30)),
                "the first holder's late removal left the new holder's marker alone");
        two.unmark(List.of(key));
        assertEquals(List.of(true), one.mark(List.of(key), Duration.ofSeconds(30)), "removed by its holder");
        one.unmark(List.of(key));
    }
}
