package org.framecache.proxy.frames;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.framecache.proxy.ProxyTestSupport;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * proxy.max-inflight-bytes against the real Orthanc: while other requests hold most of it, a request whose frames
 * must come from the store is refused (503) as its parts arrive; once they are done, the same request is served,
 * and frames in the in-process tier are served whatever the others hold.
 */
class InFlightBytesTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final long LIMIT = 1 << 20;
    private GeneratedInstance instance;

    @Override
    protected Properties testProperties() {
        Properties properties = propertiesOf(ORTHANC);
        properties.setProperty("proxy.max-inflight-bytes", Long.toString(LIMIT));
        properties.setProperty("fallback.rendered-enabled", "false");
        // each request's access-log line is handed over after what it held was given back: the test waits for it
        properties.setProperty("access-log.endpoint", "seda:access-lines");
        return properties;
    }

    @BeforeAll
    void upload() {
        // 256 x 256 RGB: 192 KiB a frame
        instance = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 256, 256, true);
        ORTHANC.upload(instance.part10());
    }

    private InFlightBytes inFlight() {
        return context.getRegistry().lookupByNameAndType("inFlightBytes", InFlightBytes.class);
    }

    private void assertLogged(String status) {
        String line = consumer.receiveBody("seda:access-lines", 10_000, String.class);
        assertTrue(line != null && line.contains(status), "access log: " + line);
    }

    @Test
    void aRequestIsRefusedWhileOthersHoldTheProcessBudgetAndServedOnceTheyAreDone() throws Exception {
        String url = framesUrl(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid(), "1,2,3");
        // other requests in flight (stand-ins) hold all but 400 KiB: three 192 KiB frames do not fit
        FrameRequest others = new FrameRequest("1", "2", "3", new int[] {1}, Representation.stored(), null, Map.of(), "");
        inFlight().hold(others, LIMIT - 400 * 1024);
        long rawCalls = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> busy = get(url, "Accept", STORED);
        assertLogged(" 503 ");
        assertEquals(503, busy.statusCode(), new String(busy.body()));
        assertTrue(new String(busy.body()).contains("proxy.max-inflight-bytes"), new String(busy.body()));
        assertEquals(rawCalls + 1, upstreamCalls().getRawFrameCalls(), "refused as the store's parts arrived");
        assertEquals(LIMIT - 400 * 1024, inFlight().getHeld(), "the refused request gave back what it held");

        inFlight().release(others);
        HttpResponse<byte[]> served = get(url, "Accept", STORED);
        assertLogged(" 200 ");
        assertEquals(200, served.statusCode(), new String(served.body()));
        List<BodyPart> parts = parts(served);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(instance.frames().get(i), parts.get(i).content(), "frame " + (i + 1));
        }
        assertEquals(0, inFlight().getHeld(), "given back when done");

        // now in the in-process tier: served while others hold everything, through the route (a query string)
        inFlight().hold(others, LIMIT);
        HttpResponse<byte[]> cached = get(url + "?from=route", "Accept", STORED);
        assertEquals(200, cached.statusCode(), new String(cached.body()));
        inFlight().release(others);
    }
}
