package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.RedisProcess;
import org.framecache.proxy.testing.RedisSentinel;
import org.framecache.proxy.testing.RedisSentinelResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Two replicas of the real application whose shared cache is a primary found through Sentinel
 * (cache.redis-sentinel-master / -nodes), against real processes: a primary, its replica and three sentinels. One
 * replica fetches each frame from the store and writes it, the other must then get it from Redis. Then the primary is
 * SIGKILLed under that load: every answer stays 200 with the right bytes (from the store while Redis is away), and
 * once the sentinels have promoted the replica, writes and reads go through it again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();
    @RegisterExtension
    static final RedisSentinelResource SENTINEL = RedisSentinelResource.own();

    private static final String JPEG = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private final FakeDicomWebStore store = STORE.running();

    private SecondReplica secondReplica;
    private int secondPort;

    /** The settings of both replicas. */
    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE, SENTINEL);
        p.setProperty("cache.redis-timeout-ms", "200");
        // back to Redis soon after a failure, so the test sees the failover rather than the back-off
        p.setProperty("cache.redis-retry-ms", "100");
        return p;
    }

    @BeforeAll
    void startSecondReplica() throws Exception {
        secondReplica = new SecondReplica(testProperties());
        secondPort = secondReplica.port;
        // each part's bytes are a function of its instance and frame, so a frame served for another is recognised
        store.answerFrames(path -> {
            String instance = path.replaceAll(".*/instances/([^/]+)/frames/.*", "$1");
            String[] frames = path.substring(path.lastIndexOf('/') + 1).split(",");
            Part[] parts = new Part[frames.length];
            for (int i = 0; i < frames.length; i++) {
                parts[i] = new Part(JPEG, frame(instance, Integer.parseInt(frames[i])));
            }
            return Answer.of(200, "multipart/related; boundary=s", multipart("s", true, parts));
        });
    }

    @AfterAll
    void stopAll() throws Exception {
        if (secondReplica != null) {
            secondReplica.close();
        }
    }

    private static byte[] frame(String instance, int frame) {
        byte[] seed = ("frame " + frame + " of " + instance + ";").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[2048];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = seed[i % seed.length];
        }
        return bytes;
    }

    private String url(int port, String instance, int frame) {
        return "http://127.0.0.1:" + port + "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/" + instance + "/frames/"
                + frame;
    }

    /** The frame through one replica: null when the answer is right, else what was wrong with it. */
    private String wrongIn(int port, String instance, int frame) throws Exception {
        HttpResponse<byte[]> response = get(url(port, instance, frame), "Accept", STORED);
        if (response.statusCode() != 200) {
            return "status " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8);
        }
        List<BodyPart> parts = parts(response);
        if (parts.size() != 1 || !Arrays.equals(frame(instance, frame), parts.get(0).content())) {
            return "wrong bytes for frame " + frame + " of " + instance;
        }
        return null;
    }

    @Test
    @Order(1)
    void aFrameOneReplicaFetchedIsServedByTheOtherFromThePrimary() throws Exception {
        String instance = "1.2.3.4.500";
        int before = store.frameCalls();
        for (int frame = 1; frame <= 4; frame++) {
            assertEquals(null, wrongIn(proxyPort, instance, frame));
        }
        assertEquals(before + 4, store.frameCalls());
        for (int frame = 1; frame <= 4; frame++) {
            assertEquals(null, wrongIn(secondPort, instance, frame));
        }
        assertEquals(before + 4, store.frameCalls(), "the second replica read them from Redis");
        try (Jedis primary = new Jedis("127.0.0.1", SENTINEL.running().primary().port())) {
            assertEquals(4, primary.keys("*{" + instance + "}*").size(), "the frames live on the primary");
        }
        FrameCache frameCache = context.getRegistry().lookupByNameAndType("frameCache", FrameCache.class);
        assertEquals("up", frameCache.status());
        assertTrue(frameCache.describe().contains("via Sentinel"), frameCache.describe());
    }

    /**
     * Round after round, a new frame is fetched through the first replica and asked of the second. The primary is
     * SIGKILLed at round 20; the answer of every round must stay right. Recovery: the first round after the kill in
     * which the second replica found the frame in Redis (the promoted replica). Prints the figures.
     */
    @Test
    @Order(2)
    void theSentinelsPromoteTheReplicaAfterAPrimaryIsKilledAndNothingWrongIsServedMeanwhile() throws Exception {
        RedisProcess oldPrimary = SENTINEL.running().primary();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        long killedAt = 0;
        long recoveredAt = 0;
        int rounds = 0;
        int fromRedis = 0;
        int fromStoreSinceKill = 0;
        int missedAfterRecovery = 0;
        int roundsAfterRecovery = 0;
        long slowestNanos = 0;
        String lastInstance = null;
        while (System.nanoTime() < deadline && roundsAfterRecovery < 20) {
            rounds++;
            String instance = "1.2.3.4." + (1000 + rounds);
            int frame = rounds % 64 + 1;
            long started = System.nanoTime();
            assertEquals(null, wrongIn(proxyPort, instance, frame), "round " + rounds + ", first replica");
            int before = store.frameCalls();
            assertEquals(null, wrongIn(secondPort, instance, frame), "round " + rounds + ", second replica");
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
            boolean servedFromRedis = store.frameCalls() == before;
            fromRedis += servedFromRedis ? 1 : 0;
            if (recoveredAt != 0) {
                roundsAfterRecovery++;
                missedAfterRecovery += servedFromRedis ? 0 : 1;
                lastInstance = instance;
            } else if (killedAt != 0) {
                if (servedFromRedis) {
                    recoveredAt = System.nanoTime();
                } else {
                    fromStoreSinceKill++;
                }
            }
            if (rounds == 20) {
                assertEquals(20, fromRedis, "before the kill every frame came from Redis");
                oldPrimary.kill();
                killedAt = System.nanoTime();
            }
        }
        double recoverySeconds = recoveredAt == 0 ? -1 : (recoveredAt - killedAt) / 1e9;
        System.out.printf("sentinel failover: %d rounds, %d served from Redis, %d from the store after the kill, "
                        + "slowest round %d ms, recovered %.2f s after SIGKILL (down-after %d ms)%n", rounds, fromRedis,
                fromStoreSinceKill, slowestNanos / 1_000_000, recoverySeconds, RedisSentinel.DOWN_AFTER_MILLIS);
        assertTrue(recoveredAt != 0, "Redis served the replicas again within 40 s of the kill");
        RedisProcess newPrimary = SENTINEL.running().awaitFailoverFrom(oldPrimary, Duration.ofSeconds(5));
        assertNotEquals(oldPrimary.port(), newPrimary.port());
        assertFalse(oldPrimary.isAlive());
        assertEquals(0, missedAfterRecovery, "once recovered, every frame written by one replica is read by the other");
        try (Jedis primary = new Jedis("127.0.0.1", newPrimary.port())) {
            assertEquals(1, primary.keys("*{" + lastInstance + "}*").size(), "writes land on the promoted replica");
        }
        FrameCache frameCache = context.getRegistry().lookupByNameAndType("frameCache", FrameCache.class);
        assertEquals("up", frameCache.status());
        assertArrayEquals(frame(lastInstance, rounds % 64 + 1), parts(get(url(secondPort, lastInstance, rounds % 64 + 1),
                "Accept", STORED)).get(0).content());
    }
}
