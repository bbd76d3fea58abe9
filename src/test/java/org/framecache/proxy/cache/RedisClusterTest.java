package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.framecache.proxy.testing.RedisCluster;
import org.framecache.proxy.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Against a real local Redis Cluster (3 masters + 3 replicas, one for the whole class): requests spanning slots,
 * markers, resharding (ASK and MOVED followed by the client), and last, because it kills a master, a failover under
 * load in which no wrong frame may be served.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
    private static final int TIMEOUT_MILLIS = 200;
    private static RedisCluster cluster;
    private static RedisByteCache cache;

    /** The cache's user on every node: what src/site/markdown/redis.md says a cluster needs, and nothing more (default stays for admin). */
    private static final String USER = "framecache";
    private static final String PASSWORD = "cluster-acl-password";

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(List.of("--user", USER, "on", ">" + PASSWORD, "~dwfc:*", "resetchannels", "-@all",
                "+get", "+mget", "+eval", "+ping", "+set", "+del", "+client|setname", "+cluster|slots", "+asking"));
        cache = cache(Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        if (cache != null) {
            cache.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RedisByteCache cache(Duration retry) {
        RedisSettings settings = new RedisSettings("", cluster.seeds(), "", "", USER, PASSWORD, "", false, "", "", "",
                true, TIMEOUT_MILLIS, 8);
        return new RedisByteCache(settings, Duration.ofMinutes(5), retry, "dwfc:");
    }

    /** A key as FrameCache makes it: the instance UID is the hash tag. */
    private static String key(String instance, int frame) {
        return "dwfc:test:1.2:1.3:{" + instance + "}:" + frame + ":raw:*";
    }

    /** A frame whose bytes are a function of its key, so a wrong or corrupt value is recognised. */
    private static byte[] frame(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            byte[] frame = new byte[4096];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) (digest[i % digest.length] ^ i);
            }
            return frame;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Instance UIDs whose frames live on three different masters. */
    private static List<String> instancesOnEveryMaster() {
        Map<Integer, String> byMaster = new LinkedHashMap<>();
        for (int i = 1; byMaster.size() < 3; i++) {
            String instance = "1.2.840.99." + i;
            byMaster.putIfAbsent(cluster.masterOf(JedisClusterCRC16.getSlot(key(instance, 1))).port(), instance);
        }
        return new ArrayList<>(byMaster.values());
    }

    @Test
    @Order(1)
    void framesOfSeveralInstancesAndTheirMarkersSpanSlotsAndMasters() {
        List<String> instances = instancesOnEveryMaster();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (String instance : instances) {
            for (int frame = 1; frame <= 20; frame++) {
                keys.add(key(instance, frame));
                entries.put(key(instance, frame), frame(key(instance, frame)));
            }
        }
        Set<Integer> slots = keys.stream().map(JedisClusterCRC16::getSlot).collect(Collectors.toSet());
        assertEquals(3, slots.size(), "one slot per instance: the hash tag");
        cache.putAll(entries);
        List<String> asked = new ArrayList<>(keys);
        asked.add(1, key(instances.get(2), 999));
        List<byte[]> values = cache.getAll(asked);
        assertNull(values.get(1), "a miss in the middle keeps the order");
        values.remove(1);
        for (int i = 0; i < keys.size(); i++) {
            assertArrayEquals(frame(keys.get(i)), values.get(i), keys.get(i));
        }

        List<String> markers = instances.stream().map(i -> key(i, 5) + ":loading").toList();
        assertEquals(List.of(true, true, true), cache.mark(markers, Duration.ofSeconds(30)));
        try (RedisByteCache otherReplica = cache(Duration.ofMillis(100))) {
            assertEquals(List.of(false, false, false), otherReplica.mark(markers, Duration.ofSeconds(30)));
            otherReplica.unmark(markers);
            assertEquals(List.of(false, false, false), otherReplica.mark(markers, Duration.ofSeconds(30)),
                    "another replica's unmark left our markers alone");
            cache.unmark(markers);
            String prefetchLock = key(instances.get(0), 0) + ":prefetch";
            assertEquals(List.of(true, true, true, true), otherReplica.mark(
                    List.of(markers.get(0), markers.get(1), markers.get(2), prefetchLock), Duration.ofSeconds(30)));
            otherReplica.unmark(List.of(markers.get(0), markers.get(1), markers.get(2), prefetchLock));
        }
        assertEquals("up", cache.status());
    }

    /** Moves an instance's slot to another master the way redis-cli --cluster reshard does, reading all along. */
    @Test
    @Order(2)
    void reshardingIsFollowedThroughAskAndMoved() {
        String instance = instancesOnEveryMaster().get(0);
        List<String> keys = new ArrayList<>();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int frame = 1; frame <= 10; frame++) {
            keys.add(key(instance, frame));
            entries.put(key(instance, frame), frame(key(instance, frame)));
        }
        cache.putAll(entries);
        int slot = JedisClusterCRC16.getSlot(keys.get(0));
        RedisProcess source = cluster.masterOf(slot);
        RedisProcess target = cluster.masterOf(JedisClusterCRC16.getSlot(key(instancesOnEveryMaster().get(1), 1)));
        assertNotEquals(source.port(), target.port());
        try (Jedis from = new Jedis("127.0.0.1", source.port()); Jedis to = new Jedis("127.0.0.1", target.port())) {
            to.clusterSetSlotImporting(slot, from.clusterMyId());
            from.clusterSetSlotMigrating(slot, to.clusterMyId());
            from.migrate("127.0.0.1", target.port(), 0, 5000, new MigrateParams(), keys.toArray(String[]::new));

            List<byte[]> duringMigration = cache.getAll(keys); // the source answers ASK: the keys are gone from it
            for (int i = 0; i < keys.size(); i++) {
                assertArrayEquals(frame(keys.get(i)), duringMigration.get(i), "ASK followed for " + keys.get(i));
            }

            to.clusterSetSlotNode(slot, to.clusterMyId());
            from.clusterSetSlotNode(slot, to.clusterMyId());
            for (RedisProcess node : cluster.nodes()) {
                try (Jedis any = new Jedis("127.0.0.1", node.port())) {
                    if (any.info("replication").contains("role:master")) {
                        any.clusterSetSlotNode(slot, to.clusterMyId());
                    }
                }
            }
        }
        assertTrue(cache.isAvailable());
        List<byte[]> afterMove = cache.getAll(keys); // the client's slot map is stale: MOVED
        for (int i = 0; i < keys.size(); i++) {
            assertArrayEquals(frame(keys.get(i)), afterMove.get(i), "MOVED followed for " + keys.get(i));
        }
        cache.putAll(Map.of(key(instance, 11), frame(key(instance, 11))));
        assertArrayEquals(frame(key(instance, 11)), cache.getAll(List.of(key(instance, 11))).get(0), "writes too");
        assertEquals(target.port(), cluster.masterOf(slot).port());
    }

    /**
     * Kills (SIGKILL) the master of one instance's slot while frames of three instances are written and read back in
     * a loop. Every value read must be the frame of its key or a miss; no call may outlast its bound; the instances on
     * the other masters are served throughout; after the replica is promoted, writes and reads of that slot resume.
     * Prints the figures.
     */
    @Test
    @Order(3)
    void aMasterKilledUnderLoadCostsMissesNeverAWrongFrameAndWritesResume() {
        List<String> instances = instancesOnEveryMaster();
        String victimInstance = instances.get(0);
        RedisProcess victim = cluster.masterOf(JedisClusterCRC16.getSlot(key(victimInstance, 1)));
        long start = System.nanoTime();
        long killedAt = 0;
        long recoveredAt = 0;
        long deadline = start + Duration.ofSeconds(30).toNanos();
        int rounds = 0;
        int wrong = 0;
        int missedReads = 0;
        int missedAfterRecovery = 0;
        int healthyReadsInOutage = 0;
        int healthyMissesInOutage = 0;
        int reads = 0;
        long slowestCallNanos = 0;
        while (System.nanoTime() < deadline) {
            rounds++;
            int frame = rounds % 64 + 1;
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (String instance : instances) {
                entries.put(key(instance, frame), frame(key(instance, frame)));
            }
            long before = System.nanoTime();
            cache.putAll(entries);
            slowestCallNanos = Math.max(slowestCallNanos, System.nanoTime() - before);
            for (String instance : instances) {
                List<String> keys = List.of(key(instance, frame), key(instance, (frame + 31) % 64 + 1));
                before = System.nanoTime();
                List<byte[]> values = cache.getAll(keys);
                slowestCallNanos = Math.max(slowestCallNanos, System.nanoTime() - before);
                for (int i = 0; i < keys.size(); i++) {
                    reads++;
                    byte[] value = values.get(i);
                    if (value == null) {
                        missedReads++;
                    } else if (!java.util.Arrays.equals(frame(keys.get(i)), value)) {
                        wrong++;
                    }
                }
                if (recoveredAt != 0 && values.get(0) == null) {
                    missedAfterRecovery++;
                }
                if (killedAt != 0 && recoveredAt == 0 && !instance.equals(victimInstance)) {
                    healthyReadsInOutage++;
                    healthyMissesInOutage += values.get(0) == null ? 1 : 0; // written just before: only an outage misses
                }
                boolean victimSlotServed = instance.equals(victimInstance) && values.get(0) != null;
                if (killedAt != 0 && recoveredAt == 0 && victimSlotServed) {
                    recoveredAt = System.nanoTime();
                }
            }
            if (killedAt == 0 && rounds == 200) {
                victim.kill();
                killedAt = System.nanoTime();
            }
            if (recoveredAt != 0 && System.nanoTime() - recoveredAt > Duration.ofMillis(300).toNanos()) {
                break; // a little load after recovery, to see it stays recovered
            }
        }
        double recoverySeconds = recoveredAt == 0 ? -1 : (recoveredAt - killedAt) / 1e9;
        System.out.printf("cluster failover: %d rounds, %d reads, %d missed, %d wrong, slowest call %d ms, "
                        + "recovered %.2f s after SIGKILL (node timeout %d ms); the other masters meanwhile: %d of %d "
                        + "fresh frames missed%n", rounds, reads, missedReads, wrong, slowestCallNanos / 1_000_000,
                recoverySeconds, RedisCluster.NODE_TIMEOUT_MILLIS, healthyMissesInOutage, healthyReadsInOutage);
        assertEquals(0, wrong, "no wrong or corrupt frame is ever served");
        assertTrue(killedAt != 0, "the master was killed under load");
        assertTrue(recoveredAt != 0, "the promoted replica serves the slot again within 30 s");
        assertNotEquals(victim.port(), cluster.masterOf(JedisClusterCRC16.getSlot(key(victimInstance, 1))).port());
        // every call is bounded: a few timeouts (connect + read + retries within cache.redis-timeout-ms), not seconds
        assertTrue(slowestCallNanos < Duration.ofMillis(6L * TIMEOUT_MILLIS).toNanos(),
                "slowest call " + slowestCallNanos / 1_000_000 + " ms");
        assertEquals(0, missedAfterRecovery, "once the slot is served again, a frame just written is found");
        assertTrue(healthyReadsInOutage > 0);
        assertEquals(0, healthyMissesInOutage, "only the dead master's slots are skipped: the other masters serve on");
        assertTrue(cache.isAvailable());
        assertEquals("up", cache.status());
    }
}
