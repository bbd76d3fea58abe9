package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.framecache.proxy.testing.FreePorts;
import org.framecache.proxy.testing.RedisProcess;
import org.framecache.proxy.testing.Await;
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
        // taken over once it expires (200 ms)
        Await.until(Duration.ofSeconds(5), () -> two.mark(List.of(key), Duration.ofSeconds(30)).get(0), "expired: taken over");
        one.unmark(List.of(key));
        assertEquals(List.of(false), one.mark(List.of(key), Duration.ofSeconds(30)),
                "the first holder's late removal left the new holder's marker alone");
        two.unmark(List.of(key));
        assertEquals(List.of(true), one.mark(List.of(key), Duration.ofSeconds(30)), "removed by its holder");
        one.unmark(List.of(key));
    }

    /**
     * A cluster or sentinels that cannot be reached when the proxy starts: the proxy starts all the same, its shared
     * tier is misses (said by the health check), and it connects once they answer.
     */
    @Test
    void aRedisAwayWhenTheProxyStartsIsMissesUntilItAnswers() {
        int port = FreePorts.loopback();
        RedisSettings cluster = new RedisSettings("", "127.0.0.1:" + port, "", "", "", "", "", false, "", "", "", true,
                200, 4);
        try (RedisByteCache cache = new RedisByteCache(cluster, Duration.ofMinutes(1), Duration.ofMinutes(1))) {
            cache.putAll(Map.of(key, new byte[] {1}));
            assertNull(cache.getAll(List.of(key)).get(0));
            assertFalse(cache.isAvailable());
            assertTrue(cache.status().startsWith("unavailable, serving from the store: not connected: "),
                    cache.status());
        }

        RedisSettings sentinel = new RedisSettings("", "", "away", "127.0.0.1:" + port, "", "", "", false, "", "", "",
                true, 200, 4);
        try (RedisByteCache cache = new RedisByteCache(sentinel, Duration.ofMinutes(1), Duration.ofMillis(1))) {
            assertNull(cache.getAll(List.of(key)).get(0));
            assertTrue(cache.status().startsWith("unavailable"), cache.status());
            try (RedisProcess primary = RedisProcess.start();
                 RedisProcess sentinelProcess = RedisProcess.sentinelOn(port,
                         "sentinel monitor away 127.0.0.1 " + primary.port() + " 1")) {
                cache.putAll(Map.of(key, new byte[] {2})); // the retry time (1 ms) has passed: connects now
                assertArrayEquals(new byte[] {2}, cache.getAll(List.of(key)).get(0), "connected once the sentinel answered");
                assertEquals("up", cache.status());
            }
        }
    }

    @Test
    void aMalformedUrlOrNodeListIsRefusedWithoutRepeatingIt() {
        // an unencoded '%' in a password: the error must not carry the URL (start-up errors reach the pod log)
        RedisSettings url = RedisSettings.single("redis://:p%zzsecret-7f@127.0.0.1:6379", "", 100, 4);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> url.connector());
        assertFalse(e.getMessage().contains("secret-7f"), e.getMessage());
        assertTrue(e.getMessage().contains("cache.redis-url"), e.getMessage());
        RedisSettings nodes = new RedisSettings("", "user:secret-7f@", "", "", "", "", "", false, "", "", "", true, 100, 4);
        IllegalArgumentException n = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> nodes.connector());
        assertFalse(n.getMessage().contains("secret-7f"), n.getMessage());
    }

    @Test
    void aFullRedisRefusingWritesStillServesReads() throws Exception {
        // maxmemory with noeviction: Redis answers OOM to a write it cannot take; what it holds is still read
        try (RedisProcess full = RedisProcess.start(List.of("--maxmemory", "3mb", "--maxmemory-policy", "noeviction"));
             RedisByteCache cache = new RedisByteCache(full.url(), "", Duration.ofMinutes(1), 500, 4,
                     Duration.ofSeconds(30))) {
            cache.putAll(Map.of(key + ":small", new byte[] {7}));
            for (int i = 0; i < 8 && cache.getRefusedWrites() == 0; i++) {
                cache.putAll(Map.of(key + ":big" + i, new byte[1 << 20]));
            }
            assertTrue(cache.getRefusedWrites() > 0, "Redis refused a write once full");
            assertTrue(cache.isAvailable(), "a refused write does not put Redis away");
            assertArrayEquals(new byte[] {7}, cache.getAll(List.of(key + ":small")).get(0),
                    "reads go on (with the write taken as a failure, reads would be skipped for the 30 s retry)");
        }
    }
}
