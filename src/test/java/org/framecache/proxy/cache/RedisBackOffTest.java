package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The pieces of RedisByteCache that need no Redis: back-off, warning rate limit, batches by slot. */
class RedisBackOffTest {

    @Test
    void aSkippedNodeIsAwayForTheRetryTimeAndTheWholeIsNotAMaster() {
        RedisBackOff backOff = new RedisBackOff(Duration.ofMinutes(1));
        HostAndPort master = new HostAndPort("10.0.0.1", 7000);
        assertFalse(backOff.away(master));
        backOff.skip(master);
        backOff.skip(RedisBackOff.WHOLE);
        assertTrue(backOff.away(master));
        assertTrue(backOff.away(RedisBackOff.WHOLE));
        assertFalse(backOff.away(new HostAndPort("10.0.0.2", 7000)));
        assertEquals(List.of("10.0.0.1:7000"), backOff.skippedMasters());
        assertEquals(60_000, backOff.retryMillis());
    }

    @Test
    void anExpiredBackOffIsForgotten() {
        RedisBackOff backOff = new RedisBackOff(Duration.ZERO);
        backOff.skip(RedisBackOff.WHOLE);
        assertFalse(backOff.away(RedisBackOff.WHOLE));
        assertEquals(List.of(), backOff.skippedMasters());
    }

    @Test
    void aWarningIsDueOncePerInterval() {
        WarningInterval warnings = new WarningInterval(Duration.ofHours(1));
        assertTrue(warnings.due());
        assertFalse(warnings.due());
        WarningInterval always = new WarningInterval(Duration.ZERO);
        assertTrue(always.due());
        assertTrue(always.due());
    }

    @Test
    void oneServerTakesEveryKeyInOneBatch() {
        List<String> keys = List.of("a", "b", "c");
        assertEquals(List.of(List.of(0, 1, 2)), new SlotBatches(false).of(keys));
        assertEquals(RedisBackOff.WHOLE, new SlotBatches(false).nodeOf(null, "a"));
    }

    @Test
    void aClusterTakesOneBatchPerSlotInTheOrderOfTheFirstKey() {
        List<String> keys = List.of("x:{1.2.3}:1", "y", "x:{1.2.3}:2", "x:{1.2.4}:1");
        assertEquals(JedisClusterCRC16.getSlot(keys.get(0)), JedisClusterCRC16.getSlot(keys.get(2)));
        List<List<Integer>> batches = new SlotBatches(true).of(keys);
        assertEquals(List.of(List.of(0, 2), List.of(1), List.of(3)), batches);
        assertEquals("y", new String(SlotBatches.encode(keys, batches.get(1)).get(0)));
        HostAndPort master = new HostAndPort("10.0.0.1", 7000);
        RedisSettings.Client client = new RedisSettings.Client(null, slot -> slot == JedisClusterCRC16.getSlot("y") ? master : null);
        assertEquals(master, new SlotBatches(true).nodeOf(client, "y"));
        assertEquals(RedisBackOff.WHOLE, new SlotBatches(true).nodeOf(client, "x:{1.2.3}:1"));
    }
}
