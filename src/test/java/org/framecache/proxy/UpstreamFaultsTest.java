package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that lies: every malformed raw answer is rejected whole (nothing of it cached), the client gets the
 * rendered fallback, and when that fails too, a 502 with the reason. Runs on the embedded in-process cache.
 */
class UpstreamFaultsTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private static final String BOUNDARY = "fake-boundary-0123";
    private static final String MULTIPART = "multipart/related; type=\"image/jpeg\"; boundary=" + BOUNDARY;
    private static final byte[] RENDERED = {(byte) 0xFF, (byte) 0xD8, 'r', 'e', 'n', (byte) 0xFF, (byte) 0xD9};
    private static final AtomicInteger INSTANCE = new AtomicInteger(1);
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE);
        p.setProperty("camel.component.http.response-timeout", "1500");
        p.setProperty("camel.component.http.so-timeout", "1500");
        return p;
    }

    /** A fresh instance UID per test, so no test sees another's cache entries. */
    private String instanceUrl(String frames) {
        return framesUrl("1.2.3", "1.2.3.4", "1.2.3.4." + INSTANCE.getAndIncrement(), frames);
    }

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private boolean rawCached(String url, int... frames) {
        String instance = url.replaceAll(".*/instances/([^/]+)/frames/.*", "$1");
        FrameRequest probe = new FrameRequest("1.2.3", "1.2.3.4", instance, frames, Representation.stored(), null,
                Map.of(), "");
        context.getRegistry().lookupByNameAndType("frameCache", FrameCache.class).lookup(probe);
        return probe.foundCount() > 0;
    }

    @Test
    void aGoodAnswerIsServedAndCachedInProcess() throws Exception {
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, frame("frame-A")), new Part(JPEG_PART, frame("frame-B")))));
        String url = instanceUrl("1,2");
        HttpResponse<byte[]> response = get(url, "Accept", STORED);
        assertEquals(200, response.statusCode(), new String(response.body()));
        List<BodyPart> parts = parts(response);
        assertArrayEquals(frame("frame-A"), parts.get(0).content());
        assertArrayEquals(frame("frame-B"), parts.get(1).content());
        assertTrue(rawCached(url, 1, 2));

        int calls = store.frameCalls();
        assertEquals(200, get(url, "Accept", STORED).statusCode());
        assertEquals(calls, store.frameCalls(), "second request served by the in-process cache");
        assertTrue(store.requests().get(store.requests().size() - 1).endsWith(
                "/frames/1,2 | multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"),
                store.requests().toString());
    }

    private void assertFallsBackAndCachesNothingRaw(Answer bad, String why) throws Exception {
        store.answerFrames(bad);
        store.answerRendered(Answer.of(200, "image/jpeg", RENDERED));
        String url = instanceUrl("1,2");
        int rendered = store.renderedCalls();
        HttpResponse<byte[]> response = get(url, "Accept", STORED);
        assertEquals(200, response.statusCode(), why + ": " + new String(response.body()));
        List<BodyPart> parts = parts(response);
        assertEquals(2, parts.size(), why);
        for (BodyPart part : parts) {
            assertEquals(JPEG_PART, part.contentType(), why);
            assertArrayEquals(RENDERED, part.content(), why);
        }
        assertEquals(rendered + 2, store.renderedCalls(), why);
        assertTrue(!rawCached(url, 1, 2), why + ": nothing of a rejected raw answer may be cached");
        assertTrue(response.headers().firstValue("Warning").orElse("").contains("rendered fallback"), why);
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null), why);

        // the store is healthy again: the client that asked for stored bytes gets the stored bytes, from the store
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, frame("stored-1")), new Part(JPEG_PART, frame("stored-2")))));
        int frameCalls = store.frameCalls();
        HttpResponse<byte[]> healthy = get(url, "Accept", STORED);
        assertEquals(200, healthy.statusCode(), why);
        assertEquals(frameCalls + 1, store.frameCalls(), why + ": the rendered substitute is not served from the cache");
        assertArrayEquals(frame("stored-1"), parts(healthy).get(0).content(), why);
        assertArrayEquals(frame("stored-2"), parts(healthy).get(1).content(), why);
        assertTrue(healthy.headers().firstValue("Warning").isEmpty(), why);
    }

    @Test
    void tooFewParts() throws Exception {
        assertFallsBackAndCachesNothingRaw(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, frame("only-one")))), "1 part for 2 frames");
    }

    @Test
    void tooManyParts() throws Exception {
        assertFallsBackAndCachesNothingRaw(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, frame("a")), new Part(JPEG_PART, frame("b")), new Part(JPEG_PART, frame("c")))),
                "3 parts for 2 frames");
    }

    @Test
    void emptyPart() throws Exception {
        assertFallsBackAndCachesNothingRaw(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, frame("a")), new Part(JPEG_PART, new byte[0]))), "empty second part");
    }

    @Test
    void unsupportedOrMislabelledContentType() throws Exception {
        assertFallsBackAndCachesNothingRaw(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, frame("a")), new Part("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.70", frame("b")))),
                "lossless JPEG is not a cached syntax");
        assertFallsBackAndCachesNothingRaw(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part("image/jp2; transfer-syntax=1.2.840.10008.1.2.4.50", frame("a")), new Part(JPEG_PART, frame("b")))),
                "JPEG syntax labelled image/jp2");
        assertFallsBackAndCachesNothingRaw(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part("text/html", frame("a")), new Part(JPEG_PART, frame("b")))), "text/html part");
    }

    @Test
    void notMultipart() throws Exception {
        assertFallsBackAndCachesNothingRaw(Answer.of(200, "application/json", frame("{}")), "JSON instead of multipart");
        assertFallsBackAndCachesNothingRaw(Answer.of(200, null, frame("raw bytes")), "no content type");
    }

    @Test
    void truncatedBody() throws Exception {
        byte[] body = multipart(BOUNDARY, true, new Part(JPEG_PART, frame("first-frame")), new Part(JPEG_PART, frame("second-frame")));
        assertFallsBackAndCachesNothingRaw(Answer.truncated(200, MULTIPART, body, body.length - 12), "body cut inside the last part");
    }

    @Test
    void bodyCutShortOfItsContentLength() throws Exception {
        byte[] body = multipart(BOUNDARY, true, new Part(JPEG_PART, frame("first-frame")), new Part(JPEG_PART, frame("second-frame")));
        assertFallsBackAndCachesNothingRaw(Answer.cutShort(200, MULTIPART, body, 60), "connection closed inside the first part");
    }

    @Test
    void storeError() throws Exception {
        assertFallsBackAndCachesNothingRaw(Answer.of(500, "application/json", frame("{\"Message\":\"boom\"}")), "500");
    }

    @Test
    void whenTheFallbackFailsTooTheClientGets502AndNothingIsCached() throws Exception {
        store.answerFrames(Answer.of(500, "application/json", frame("{\"Message\":\"Cannot decode\"}")));
        store.answerRendered(Answer.of(200, "text/html", frame("<html>")));
        String url = instanceUrl("3");
        HttpResponse<byte[]> response = get(url, "Accept", STORED);
        assertEquals(502, response.statusCode());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        String body = new String(response.body());
        assertTrue(body.contains("text/html"), body);
        assertEquals(1, body.split("\n").length, body);
        assertTrue(!rawCached(url, 3));
    }

    @Test
    void framesBeyondNumberOfFramesAre400WithoutAskingForThem() throws Exception {
        int calls = store.frameCalls();
        HttpResponse<byte[]> response = get(instanceUrl("64,65"), "Accept", STORED);
        assertEquals(400, response.statusCode());
        assertEquals("frame 65 is out of range: the instance has 64 frames\n", new String(response.body()));
        assertEquals(calls, store.frameCalls());
    }

    @Test
    void aRefusedMetadataCheckIsPassedOnAndRemembered() throws Exception {
        store.answerMetadata(Answer.of(403, null, new byte[0]));
        try {
            String url = instanceUrl("1");
            int requests = store.requests().size();
            assertEquals(403, get(url, "Accept", STORED).statusCode());
            assertEquals(403, get(url, "Accept", STORED).statusCode());
            assertEquals(requests + 1, store.requests().size(), "the refusal is remembered, not asked again");
        } finally {
            store.answerMetadata(Answer.of(200, "application/dicom+json",
                    "[{\"00280008\":{\"vr\":\"IS\",\"Value\":[\"64\"]}}]".getBytes()));
        }
    }

    @Test
    void aSlowStoreIs504WithinTheTimeoutAndAStallMidBodyCachesNothing() throws Exception {
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true, new Part(JPEG_PART, frame("late")))));
        store.delay(4000);
        try {
            long start = System.nanoTime();
            HttpResponse<byte[]> slow = get(instanceUrl("1"), "Accept", STORED);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, slow.statusCode(), new String(slow.body()));
            assertTrue(new String(slow.body()).startsWith("upstream store did not answer in time"), new String(slow.body()));
            assertTrue(millis < 3500, "answered within the configured timeout: " + millis + " ms");
        } finally {
            store.delay(0);
        }
        byte[] body = multipart(BOUNDARY, true, new Part(JPEG_PART, frame("first-frame")), new Part(JPEG_PART, frame("second")));
        store.answerFrames(new Answer(200, MULTIPART, body, body.length - 10, 4000));
        String url = instanceUrl("1,2");
        HttpResponse<byte[]> stalled = get(url, "Accept", STORED);
        assertEquals(504, stalled.statusCode(), new String(stalled.body()));
        assertTrue(!rawCached(url, 1, 2), "nothing of a stalled answer is cached");
    }

    @Test
    void oversizedInputIsRefusedWithA4xxNotAnException() throws Exception {
        int calls = store.requests().size();
        StringBuilder frames = new StringBuilder("1");
        for (int i = 2; i <= 501; i++) {
            frames.append(',').append(i % 64 + 1);
        }
        HttpResponse<byte[]> tooManyFrames = get(instanceUrl(frames.toString()), "Accept", STORED);
        assertEquals(400, tooManyFrames.statusCode());
        assertEquals("at most 500 frames per request, got 501\n", new String(tooManyFrames.body()));

        HttpResponse<byte[]> longUrl = get(instanceUrl("1," + "2,".repeat(3000) + "3"), "Accept", STORED);
        assertEquals(400, longUrl.statusCode(), "a very long frame list");
        assertEquals("at most 500 frames per request, got 3002\n", new String(longUrl.body()));

        HttpResponse<byte[]> hugeAccept = get(instanceUrl("1"), "Accept", STORED + ", " + "image/jpeg;q=0.1, ".repeat(600));
        assertEquals(431, hugeAccept.statusCode(), "header block over the server's limit");
        assertEquals(calls, store.requests().size(), "none of them reached the store");
    }

    @Test
    void noRenderedJpegForAClientThatDoesNotAcceptJpeg() throws Exception {
        store.answerFrames(Answer.of(500, "application/json", frame("{\"Message\":\"Cannot transcode\"}")));
        store.answerRendered(Answer.of(200, "image/jpeg", RENDERED));
        int rendered = store.renderedCalls();
        HttpResponse<byte[]> response = get(instanceUrl("1"), "Accept",
                "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90");
        assertEquals(406, response.statusCode());
        assertEquals("the store could not provide multipart/related; type=\"image/jp2\"; "
                + "transfer-syntax=1.2.840.10008.1.2.4.90 for this instance (it answered 500: Cannot transcode)\n",
                new String(response.body()));
        assertEquals(rendered, store.renderedCalls(), "no fallback the client could not use");
        assertTrue(store.requests().get(store.requests().size() - 1).endsWith(
                "| multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90"));
    }

    private static final String JPEG_OR_JP2 = "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50, "
            + "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90";

    @Test
    void aClientListingSeveralSyntaxesGetsTheStoredOneWhenItIsAmongThem() throws Exception {
        String jp2 = "image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90";
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true, new Part(jp2, frame("j2k-codestream")))));
        int before = store.requests().size();
        int rendered = store.renderedCalls();
        String url = instanceUrl("4");
        HttpResponse<byte[]> response = get(url, "Accept", JPEG_OR_JP2);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(jp2, parts(response).get(0).contentType(), "the stored JPEG 2000, not a transcode or a rendering");
        assertArrayEquals(frame("j2k-codestream"), parts(response).get(0).content());
        assertEquals(rendered, store.renderedCalls());
        List<String> asked = store.requests().subList(before, store.requests().size());
        assertTrue(asked.stream().filter(r -> r.contains("/frames/"))
                .allMatch(r -> r.endsWith("transfer-syntax=*")), "only stored bytes were asked for: " + asked);

        HttpResponse<byte[]> next = get(url.replace("/frames/4", "/frames/5,4"), "Accept", JPEG_OR_JP2);
        assertEquals(200, next.statusCode());
        assertEquals(jp2, parts(next).get(1).contentType(), "frame 4 from the cache, stored syntax now known");
    }

    @Test
    void whenTheStoredSyntaxIsNotAmongThemTheFirstPreferenceIsAskedFor() throws Exception {
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part("image/jls; transfer-syntax=1.2.840.10008.1.2.4.80", frame("jls")))));
        store.answerRendered(Answer.of(200, "image/jpeg", RENDERED));
        int before = store.requests().size();
        HttpResponse<byte[]> response = get(instanceUrl("6"), "Accept", JPEG_OR_JP2);
        List<String> asked = store.requests().subList(before, store.requests().size());
        assertTrue(asked.stream().anyMatch(r -> r.endsWith("transfer-syntax=*")), "probed: " + asked);
        assertTrue(asked.stream().anyMatch(r -> r.contains("type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50")),
                "then asked for the first preference: " + asked);
        // the fake answers JPEG-LS (which the proxy cannot decode) to everything: not what was asked, so the rendered fallback serves the client
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertArrayEquals(RENDERED, parts(response).get(0).content());
    }

    @Test
    void aStoredJpegXlFrameTheProxyCannotTranscodeIsA502NeverAnImage() throws Exception {
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part("image/jxl; transfer-syntax=1.2.840.10008.1.2.4.110", frame("not-a-jxl-codestream")))));
        HttpResponse<byte[]> response = get(instanceUrl("7"), "Accept", JPEG_OR_JP2);
        assertEquals(502, response.statusCode(), new String(response.body()));
        assertTrue(new String(response.body()).startsWith("the "), "a one-line reason: " + new String(response.body()));
        HttpResponse<byte[]> stored = get(instanceUrl("7"), "Accept", STORED);
        assertEquals(200, stored.statusCode());
        assertArrayEquals(frame("not-a-jxl-codestream"), parts(stored).get(0).content(), "the stored bytes, as stored");
    }

    @Test
    void storeClientErrorsPassThroughWithoutFallback() throws Exception {
        store.answerFrames(Answer.of(401, null, new byte[0]));
        int rendered = store.renderedCalls();
        HttpResponse<byte[]> response = get(instanceUrl("1"), "Accept", STORED, "Authorization", "Basic Zm9vOmJhcg==");
        assertEquals(401, response.statusCode());
        assertEquals(rendered, store.renderedCalls(), "a refusal is not retried as rendered");
        assertTrue(store.requests().get(store.requests().size() - 1).contains("/frames/1 |"));
    }
}
