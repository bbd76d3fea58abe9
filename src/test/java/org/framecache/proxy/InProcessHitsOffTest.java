package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** proxy.in-process-hits=false: a repeat of a cached frame goes through its route like any other request. */
class InProcessHitsOffTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final String JPEG = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE);
        p.setProperty("proxy.in-process-hits", "false");
        return p;
    }

    @Test
    void aCachedFrameIsServedByItsRoute() throws Exception {
        InProcessHits hits = context.getRegistry().lookupByNameAndType("inProcessHits", InProcessHits.class);
        store.answerFrames(path -> Answer.of(200, "multipart/related; boundary=b",
                multipart("b", true, new Part(JPEG, "frame-1".getBytes(StandardCharsets.US_ASCII)))));
        String url = framesUrl("1.2.3", "1.2.3.4", "1.2.3.10", "1");

        HttpResponse<byte[]> first = get(url, "Accept", STORED);
        HttpResponse<byte[]> repeat = get(url, "Accept", STORED);

        assertEquals(200, first.statusCode());
        assertEquals(200, repeat.statusCode());
        assertTrue(new String(repeat.body(), StandardCharsets.US_ASCII).contains("frame-1"));
        assertFalse(hits.isEnabled(InProcessHits.FRAMES_ROUTE), "switched off, whatever the routes");
        assertEquals(0, hits.getAnswered(), "nothing answered before the route");
        assertEquals(1, store.frameCalls(), "the repeat came from the cache, through the route");
    }
}
