package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hot tiles answered before their route: the same answer as the route's (status, headers, parts, bytes), only for a
 * caller the store accepted, and never for anything the route must decide.
 */
class InProcessHitsTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final String ALICE = "Basic YWxpY2U6YQ==";
    private static final String BOB = "Basic Ym9iOmI=";
    private static final String JPEG = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE);
        p.setProperty("access-log.endpoint", "seda:access");
        p.setProperty("audit.endpoint", "seda:audit");
        return p;
    }

    private InProcessHits hits() {
        return context.getRegistry().lookupByNameAndType("inProcessHits", InProcessHits.class);
    }

    /** Each frame's part is "frame-N" as stored JPEG. */
    private void storeServesFrames() {
        store.answerFrames(path -> {
            String[] frames = path.substring(path.lastIndexOf('/') + 1).split(",");
            Part[] parts = new Part[frames.length];
            for (int i = 0; i < frames.length; i++) {
                parts[i] = new Part(JPEG, ("frame-" + frames[i]).getBytes(StandardCharsets.US_ASCII));
            }
            return Answer.of(200, "multipart/related; boundary=b", multipart("b", true, parts));
        });
    }

    /** A frame of an instance of its own, fetched once through the route (so now cached). */
    private String cachedFrameUrl(String instance, String frame) throws Exception {
        storeServesFrames();
        String url = framesUrl("1.2.3", "1.2.3.4", instance, frame);
        assertEquals(200, get(url, "Accept", STORED).statusCode());
        return url;
    }

    private void drainLogs() {
        while (consumer.receiveBody("seda:access", 50, String.class) != null) {
            // lines of earlier requests
        }
        while (consumer.receiveBody("seda:audit", 50, String.class) != null) {
            // likewise
        }
    }

    private static Map<String, List<String>> headersBesides(HttpResponse<?> response, String... names) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        for (String name : names) {
            headers.remove(name);
        }
        return headers;
    }

    @Test
    void aRepeatIsAnsweredBeforeTheRouteWithTheRoutesOwnAnswer() throws Exception {
        assertTrue(hits().isEnabled(InProcessHits.FRAMES_ROUTE), "the routes under test are the known ones");
        storeServesFrames();
        String url = framesUrl("1.2.3", "1.2.3.4", "1.2.3.10", "3,1,3");
        String[] headers = {"Accept", STORED, "Authorization", ALICE, "Origin", "https://viewer.example"};
        long before = hits().getAnswered();

        HttpResponse<byte[]> fromRoute = get(url, headers);
        assertEquals(before, hits().getAnswered(), "a miss goes through the route");
        drainLogs();
        HttpResponse<byte[]> inProcess = get(url, headers);

        assertEquals(before + 1, hits().getAnswered(), "the repeat was answered before the route");
        assertEquals(200, fromRoute.statusCode());
        assertEquals(200, inProcess.statusCode());
        // same headers but for the random boundary (in Content-Type) and the length that follows from it
        assertEquals(headersBesides(fromRoute, "content-type", "content-length"),
                headersBesides(inProcess, "content-type", "content-length"));
        assertEquals(fromRoute.headers().firstValue("content-type").orElseThrow().replaceAll("boundary=.*", ""),
                inProcess.headers().firstValue("content-type").orElseThrow().replaceAll("boundary=.*", ""));
        assertEquals("*", inProcess.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals("Accept", inProcess.headers().firstValue("vary").orElseThrow());
        List<BodyPart> routeParts = parts(fromRoute);
        List<BodyPart> parts = parts(inProcess);
        assertEquals(3, parts.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(routeParts.get(i).content(), parts.get(i).content());
            assertEquals(routeParts.get(i).headers(), parts.get(i).headers());
        }
        assertEquals("frame-3", new String(parts.get(0).content(), StandardCharsets.US_ASCII));
        assertEquals("frame-1", new String(parts.get(1).content(), StandardCharsets.US_ASCII));
        assertEquals(1, store.frameCalls());
        String line = consumer.receiveBody("seda:access", 5000, String.class);
        assertTrue(line.startsWith("GET /dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.10/frames/3,1,3 200 frames=3 tier=cache"),
                line);
        String audit = consumer.receiveBody("seda:audit", 5000, String.class);
        assertTrue(audit.contains("\"instance\":\"1.2.3.10\"") && audit.contains("\"tier\":\"cache\""), audit);
    }

    @Test
    void anotherCallerIsAskedOfTheStoreFirst() throws Exception {
        storeServesFrames();
        String url = framesUrl("1.2.3", "1.2.3.4", "1.2.3.11", "5");
        assertEquals(200, get(url, "Accept", STORED, "Authorization", ALICE).statusCode());
        long before = hits().getAnswered();
        store.answerMetadata(Answer.of(401, "text/plain", new byte[0]));
        try {
            HttpResponse<byte[]> bob = get(url, "Accept", STORED, "Authorization", BOB);
            assertEquals(401, bob.statusCode(), "the frame is in memory, but the store refuses bob");
            assertFalse(new String(bob.body(), StandardCharsets.ISO_8859_1).contains("frame-5"));
            HttpResponse<byte[]> anonymous = get(url, "Accept", STORED);
            assertEquals(401, anonymous.statusCode());
            assertEquals(before, hits().getAnswered());

            assertEquals(200, get(url, "Accept", STORED, "Authorization", ALICE).statusCode(),
                    "alice's acceptance is remembered");
            assertEquals(before + 1, hits().getAnswered());
        } finally {
            store.answerMetadata(Answer.of(200, "application/dicom+json",
                    "[{\"00280008\":{\"vr\":\"IS\",\"Value\":[64]}}]".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void whatTheRouteMustDecideGoesToTheRoute() throws Exception {
        String url = cachedFrameUrl("1.2.3.12", "2");
        long before = hits().getAnswered();

        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", STORED).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(200, get(url + "?accept=" + java.net.URLEncoder.encode(STORED, StandardCharsets.UTF_8)).statusCode());
        assertEquals(400, get(framesUrl("1.2.3", "1.2.3.4", "1.2.3.12", "65"), "Accept", STORED).statusCode(),
                "beyond NumberOfFrames");
        assertEquals(406, get(url, "Accept", "text/html").statusCode());
        assertEquals(400, get(framesUrl("1.2.3", "1.2.3.4", "1.2.3.12", "2,x"), "Accept", STORED).statusCode());
        assertEquals(before, hits().getAnswered(), "none of these was answered before the route");

        assertEquals(200, get(url, "Accept", STORED).statusCode());
        assertEquals(before + 1, hits().getAnswered());
    }

    @Test
    void aSuspendedRouteAnswersForItself() throws Exception {
        String url = cachedFrameUrl("1.2.3.14", "6");
        long before = hits().getAnswered();

        context.getRouteController().suspendRoute(InProcessHits.FRAMES_ROUTE);
        try {
            assertFalse(hits().isEnabled(InProcessHits.FRAMES_ROUTE));
            assertEquals(503, get(url, "Accept", STORED).statusCode(), "what the suspended route answers");
            assertEquals(before, hits().getAnswered());
        } finally {
            context.getRouteController().resumeRoute(InProcessHits.FRAMES_ROUTE);
        }
        assertTrue(hits().isEnabled(InProcessHits.FRAMES_ROUTE));
        assertEquals(200, get(url, "Accept", STORED).statusCode());
        assertEquals(before + 1, hits().getAnswered());
    }

    @Test
    void renderedRepeatsToo() throws Exception {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
        store.answerRendered(Answer.of(200, "image/jpeg", jpeg));
        String url = framesUrl("1.2.3", "1.2.3.4", "1.2.3.13", "4") + "/rendered";
        HttpResponse<byte[]> fromRoute = get(url, "Accept", "image/jpeg");
        long before = hits().getAnswered();

        HttpResponse<byte[]> inProcess = get(url, "Accept", "image/jpeg");

        assertEquals(before + 1, hits().getAnswered());
        assertEquals(200, inProcess.statusCode());
        assertArrayEquals(jpeg, inProcess.body());
        assertEquals(headersBesides(fromRoute), headersBesides(inProcess));
        assertEquals(1, store.renderedCalls());
    }
}
