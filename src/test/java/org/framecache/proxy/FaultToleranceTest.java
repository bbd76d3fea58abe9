package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancProcess;
import org.framecache.proxy.testing.RedisProcess;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * Degrade instead of failing: redis-server killed and restarted during a run of requests, and the store stopped.
 * Uses its own Orthanc and Redis processes, since it kills them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest extends ProxyTestSupport {
    private OrthancProcess orthanc;
    private RedisProcess redis;
    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        orthanc = OrthancProcess.start(Map.of());
        redis = RedisProcess.start();
        Properties p = new Properties();
        p.setProperty("proxy.upstream-url", orthanc.dicomWebUrl());
        p.setProperty("cache.redis-url", redis.url());
        p.setProperty("cache.redis-retry-ms", "300");
        p.setProperty("proxy.breaker-failures", "3");
        p.setProperty("proxy.breaker-open-ms", "1000");
        return p;
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 8, 8, 256, false);
        orthanc.upload(slide.part10());
    }

    @AfterAll
    void stopProcesses() {
        orthanc.close();
        redis.close();
    }

    private HttpResponse<byte[]> frame(int n) throws Exception {
        return get(framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), Integer.toString(n)), "Accept", STORED);
    }

    private boolean inRedis(int frame) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            return !jedis.keys("*:{" + slide.sopInstanceUid() + "}:" + frame + ":raw:*").isEmpty();
        }
    }

    @Test
    @Order(1)
    void redisKilledAndRestartedDuringRequestsFailsNoRequestAndIsUsedAgain() throws Exception {
        for (int i = 1; i <= 10; i++) {
            assertEquals(200, frame(i).statusCode());
        }
        assertTrue(inRedis(5));
        redis.kill();
        for (int i = 1; i <= 30; i++) {
            HttpResponse<byte[]> response = frame(i);
            assertEquals(200, response.statusCode(), "request " + i + " while Redis is down");
            assertArrayEquals(slide.frames().get(i - 1), parts(response).get(0).content());
        }
        HttpResponse<byte[]> ready = get("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        String health = new String(ready.body());
        assertEquals(200, ready.statusCode(), "degraded, not down: " + health);
        assertTrue(health.contains("frame-cache") && health.contains("degraded"), health);
        redis.restart();
        Thread.sleep(400); // the retry pause configured above (cache.redis-retry-ms = 300)
        for (int i = 40; i <= 45; i++) {
            assertEquals(200, frame(i).statusCode());
        }
        assertTrue(inRedis(45), "frames are cached in Redis again after its restart");
    }

    @Test
    @Order(2)
    void storeStoppedCachedFramesStillServedUncachedFailFast() throws Exception {
        HttpResponse<byte[]> warm = frame(60);
        assertEquals(200, warm.statusCode());
        orthanc.stop();
        HttpResponse<byte[]> cached = frame(60);
        assertEquals(200, cached.statusCode(), "a cached frame is served while the store is down");
        assertArrayEquals(slide.frames().get(59), parts(cached).get(0).content());

        long start = System.nanoTime();
        HttpResponse<byte[]> uncached = frame(61);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(502, uncached.statusCode(), new String(uncached.body()));
        assertTrue(new String(uncached.body()).startsWith("upstream store unreachable"), new String(uncached.body()));
        assertTrue(millis < 3000, "failed fast: " + millis + " ms");
        assertFalse(new String(uncached.body()).contains("Exception"), "no stack trace");
    }

    @Test
    @Order(3)
    void aDeadStoreTripsTheBreakerWhichRecoversByItself() throws Exception {
        // the store is still stopped (previous test): a few more failures open the circuit
        int status = 0;
        for (int i = 62; i <= 66 && status != 503; i++) {
            status = frame(i).statusCode();
        }
        assertEquals(503, status, "circuit open");
        HttpResponse<byte[]> refused = frame(63);
        assertEquals(503, refused.statusCode());
        assertTrue(new String(refused.body()).startsWith("upstream store unavailable: circuit open"), new String(refused.body()));
        assertEquals(200, frame(60).statusCode(), "cached frames are still served while the circuit is open");
        HttpResponse<byte[]> ready = get("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        assertEquals(200, ready.statusCode(), "degraded, not down");
        assertTrue(new String(ready.body()).contains("circuit open"), new String(ready.body()));

        orthanc.restart();
        Thread.sleep(1100); // the open pause configured above
        HttpResponse<byte[]> trial = frame(63);
        assertEquals(200, trial.statusCode(), "the trial call closes the circuit: " + new String(trial.body()));
        assertArrayEquals(slide.frames().get(62), parts(trial).get(0).content());
        assertEquals(200, frame(64).statusCode());
    }
}
