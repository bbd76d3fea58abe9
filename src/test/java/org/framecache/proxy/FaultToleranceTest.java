package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import org.framecache.proxy.testing.Await;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.RedisResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Degrade instead of failing: redis-server killed and restarted during a run of requests, and the store stopped.
 * Uses its own Orthanc and Redis processes, since it kills them. Each test has its own slide (fresh cache keys) and
 * finds both processes running, so any one runs alone or in any order.
 */
class FaultToleranceTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.own();
    @RegisterExtension
    static final RedisResource REDIS = RedisResource.own();

    private GeneratedInstance slide;
    private boolean orthancStopped;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(ORTHANC, REDIS);
        p.setProperty("cache.redis-retry-ms", "100");
        p.setProperty("proxy.breaker-failures", "3");
        p.setProperty("proxy.breaker-open-ms", "1000");
        return p;
    }

    @BeforeEach
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 8, 8, 256, false);
        ORTHANC.upload(slide.part10());
    }

    /** What a test stopped (or a failed test left stopped) runs again for the next one. */
    @AfterEach
    void runningAgain() {
        if (orthancStopped) {
            ORTHANC.running().restart();
            orthancStopped = false;
        }
        if (!REDIS.running().isAlive()) {
            REDIS.running().restart();
        }
    }

    private HttpResponse<byte[]> frame(int n) throws Exception {
        return get(framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), Integer.toString(n)), "Accept", STORED);
    }

    private boolean served(int n) {
        try {
            return frame(n).statusCode() == 200;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void stopOrthanc() {
        orthancStopped = true;
        ORTHANC.running().stop();
    }

    private boolean inRedis(int frame) {
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS.running().port())) {
            return !jedis.keys("*:{" + slide.sopInstanceUid() + "}:" + frame + ":raw:*").isEmpty();
        }
    }

    @Test
    void redisKilledAndRestartedDuringRequestsFailsNoRequestAndIsUsedAgain() throws Exception {
        for (int i = 1; i <= 10; i++) {
            assertEquals(200, frame(i).statusCode());
        }
        assertTrue(inRedis(5));
        REDIS.running().kill();
        for (int i = 1; i <= 30; i++) {
            HttpResponse<byte[]> response = frame(i);
            assertEquals(200, response.statusCode(), "request " + i + " while Redis is down");
            assertArrayEquals(slide.frames().get(i - 1), parts(response).get(0).content());
        }
        HttpResponse<byte[]> ready = get("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        String health = new String(ready.body());
        assertEquals(200, ready.statusCode(), "degraded, not down: " + health);
        assertTrue(health.contains("frame-cache") && health.contains("degraded"), health);
        REDIS.running().restart();
        // once the retry pause (cache.redis-retry-ms = 100) is over, a new frame is written to Redis again
        int[] next = {31};
        Await.until(Duration.ofSeconds(10), () -> {
            int n = next[0]++;
            return n <= 64 && served(n) && inRedis(n);
        }, "a frame (of 31 to 64) cached in Redis again after its restart");
    }

    @Test
    void storeStoppedCachedFramesStillServedUncachedFailFast() throws Exception {
        HttpResponse<byte[]> warm = frame(60);
        assertEquals(200, warm.statusCode());
        stopOrthanc();
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
    void aDeadStoreTripsTheBreakerWhichRecoversByItself() throws Exception {
        assertEquals(200, frame(60).statusCode());
        stopOrthanc();
        // a few failures open the circuit
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

        ORTHANC.running().restart();
        orthancStopped = false;
        // refused (503) until the open pause configured above (1000 ms) is over; then the trial call closes the circuit
        Await.until(Duration.ofSeconds(10), () -> served(63), "the circuit lets a trial call through and closes");
        assertArrayEquals(slide.frames().get(62), parts(frame(63)).get(0).content());
        assertEquals(200, frame(64).statusCode());
    }
}
