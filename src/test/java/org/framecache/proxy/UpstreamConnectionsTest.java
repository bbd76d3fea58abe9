package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.Await;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keep-alive connections to the store are closed by the proxy before a store like Orthanc (1 s) closes them. */
class UpstreamConnectionsTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    /** Idle connections kept in the pools of every upstream endpoint. */
    private int available() {
        return context.getEndpoints().stream().filter(HttpEndpoint.class::isInstance)
                .map(e -> ((HttpEndpoint) e).getClientConnectionManager())
                .filter(PoolingHttpClientConnectionManager.class::isInstance)
                .mapToInt(m -> ((PoolingHttpClientConnectionManager) m).getTotalStats().getAvailable()).sum();
    }

    @Test
    void idleConnectionsAreClosedWellBeforeASecond() throws Exception {
        store.answerFrames(Answer.of(200, "multipart/related; boundary=b", multipart("b", true,
                new Part("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", "tile".getBytes()))));
        assertEquals(200, get(framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.9", "1"), "Accept", STORED).statusCode());
        long idleSince = System.nanoTime();
        assertTrue(available() >= 1, "the store's connection is kept for the next call");

        Await.until(Duration.ofSeconds(3), () -> available() == 0, "the idle connection closed");
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);

        assertEquals(0, available(), "closed after " + idleMillis + " ms");
        assertTrue(idleMillis < 900, "closed after " + idleMillis + " ms: before Orthanc's 1 s");
        assertEquals(200, get(framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.9", "2"), "Accept", STORED).statusCode(),
                "the next call opens a new connection");
    }
}
