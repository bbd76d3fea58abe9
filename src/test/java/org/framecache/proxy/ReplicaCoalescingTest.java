package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.RedisResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas sharing one real Redis in front of a slow store: concurrent misses for one frame on both replicas
 * cost one upstream request (Redis loading marker); a replica whose marker holder never delivers fetches itself.
 */
class ReplicaCoalescingTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();
    @RegisterExtension
    static final RedisResource REDIS = RedisResource.shared();

    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private final FakeDicomWebStore store = STORE.running();

    private SecondReplica secondReplica;
    private int secondPort;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE, REDIS);
        p.setProperty("cache.key-prefix", "replicas-" + proxyPort + ":");
        p.setProperty("proxy.replica-wait-ms", "3000");
        return p;
    }

    @BeforeAll
    void startSecondReplica() throws Exception {
        secondReplica = new SecondReplica(testProperties());
        secondPort = secondReplica.port;
    }

    @AfterAll
    void stopAll() throws Exception {
        secondReplica.close();
    }

    private String url(int port, String instance, String frames) {
        return "http://127.0.0.1:" + port + "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/" + instance + "/frames/" + frames;
    }

    private static CompletableFuture<HttpResponse<byte[]>> send(String url) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", STORED).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void concurrentMissesOnTwoReplicasMakeOneUpstreamRequest() {
        byte[] frame = "fetched-once-for-both".getBytes(StandardCharsets.US_ASCII);
        store.answerFrames(Answer.of(200, "multipart/related; boundary=rb", multipart("rb", true, new Part(JPEG_PART, frame))));
        store.delay(600);
        int before = store.frameCalls();
        List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                sent.add(send(url(proxyPort, "1.2.3.4.200", "4")));
                sent.add(send(url(secondPort, "1.2.3.4.200", "4")));
            }
            for (CompletableFuture<HttpResponse<byte[]>> future : sent) {
                HttpResponse<byte[]> response = future.join();
                assertEquals(200, response.statusCode(), new String(response.body()));
                assertArrayEquals(frame, parts(response).get(0).content());
            }
        } finally {
            store.delay(0);
        }
        assertEquals(before + 1, store.frameCalls(), "one upstream request for both replicas");
    }
}
