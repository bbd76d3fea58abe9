package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;

import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.RedisResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The application with cache.encryption-key against a real Redis: what lies in Redis is sealed, and a sealed value
 * copied under another frame's key (someone with write access to Redis moving values around) is not served: it is a
 * miss, fetched from the store, and counted in dicomweb_cache_values_rejected_total.
 */
class EncryptedRedisTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();
    @RegisterExtension
    static final RedisResource REDIS = RedisResource.shared();

    private static final String JPEG = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private static final String INSTANCE = "1.2.3.4.77";
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE, REDIS);
        p.setProperty("cache.key-prefix", "sealed-" + proxyPort + ":");
        p.setProperty("cache.encryption-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        // an in-process tier too small for any frame here: every lookup goes to Redis
        p.setProperty("cache.memory-max-bytes", "1");
        return p;
    }

    private static byte[] frame(int n) {
        return ("pixels of frame " + n + " ").repeat(40).getBytes(StandardCharsets.US_ASCII);
    }

    private double rejected() throws Exception {
        String metrics = new String(get("http://127.0.0.1:" + managementPort + "/observe/metrics").body(),
                StandardCharsets.UTF_8);
        return metrics.lines().filter(l -> l.startsWith("dicomweb_cache_values_rejected_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no dicomweb_cache_values_rejected_total"));
    }

    @Test
    void aSealedValueMovedToAnotherFramesKeyIsAMissCountedAndNeverServed() throws Exception {
        store.answerFrames(path -> {
            int n = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            return Answer.of(200, "multipart/related; boundary=e", multipart("e", true, new Part(JPEG, frame(n))));
        });
        String url1 = framesUrl("1.2.3", "1.2.3.4", INSTANCE, "1");
        String url2 = framesUrl("1.2.3", "1.2.3.4", INSTANCE, "2");
        assertEquals(200, get(url1, "Accept", STORED).statusCode());
        assertEquals(200, get(url2, "Accept", STORED).statusCode());
        int fetched = store.frameCalls();
        assertArrayEquals(frame(2), parts(get(url2, "Accept", STORED)).get(0).content());
        assertEquals(fetched, store.frameCalls(), "frame 2 came from Redis, opened");
        assertEquals(0.0, rejected());

        try (Jedis jedis = new Jedis("127.0.0.1", REDIS.running().port())) {
            Set<String> keys1 = jedis.keys("sealed-" + proxyPort + ":*:{" + INSTANCE + "}:1:raw:*");
            Set<String> keys2 = jedis.keys("sealed-" + proxyPort + ":*:{" + INSTANCE + "}:2:raw:*");
            assertEquals(1, keys1.size());
            assertEquals(1, keys2.size());
            byte[] sealed1 = jedis.get(keys1.iterator().next().getBytes(StandardCharsets.UTF_8));
            assertNotNull(sealed1);
            assertFalse(new String(sealed1, StandardCharsets.ISO_8859_1).contains("pixels of frame"),
                    "Redis holds no frame bytes in the clear");
            jedis.set(keys2.iterator().next().getBytes(StandardCharsets.UTF_8), sealed1); // frame 1's value as frame 2
        }

        HttpResponse<byte[]> afterMove = get(url2, "Accept", STORED);
        assertEquals(200, afterMove.statusCode());
        assertArrayEquals(frame(2), parts(afterMove).get(0).content(), "frame 2, never frame 1's bytes");
        assertEquals(fetched + 1, store.frameCalls(), "the moved value was a miss: fetched from the store");
        assertEquals(1.0, rejected());
        assertTrue(context.getRegistry().lookupByNameAndType("frameCache", FrameCache.class).describe()
                .contains("AES-256-GCM"));
    }
}
