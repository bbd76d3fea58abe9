package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.RedisResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The whole request path against a real Orthanc and a real redis-server: frames byte-identical to what Orthanc
 * stores, hits that never reach the store, partial hits, order and duplicates, the rendered endpoint and the
 * rendered fallback, and the error statuses.
 */
class FramesEndToEndTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();
    @RegisterExtension
    static final RedisResource REDIS = RedisResource.shared();

    private GeneratedInstance slide;
    private String slideId;
    private GeneratedInstance nativeSlide;
    private String nativeId;
    private GeneratedInstance implicitSlide;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(ORTHANC, REDIS);
        p.setProperty("cache.key-prefix", "e2e-" + proxyPort + ":");
        p.setProperty("cache.ttl-seconds", "600");
        return p;
    }

    @BeforeAll
    void uploadSlides() {
        String study = SlideGenerator.newUid();
        String series = SlideGenerator.newUid();
        slide = SlideGenerator.jpegWsi(study, series, 16, 16, 256, true);
        slideId = ORTHANC.upload(slide.part10());
        nativeSlide = SlideGenerator.nativeInstance(study, SlideGenerator.newUid(), 6, 64, 64, true);
        nativeId = ORTHANC.upload(nativeSlide.part10());
        implicitSlide = SlideGenerator.nativeInstance(study, SlideGenerator.newUid(), 4, 64, 64, false);
        ORTHANC.upload(implicitSlide.part10());
    }

    private String url(GeneratedInstance instance, String frames) {
        return framesUrl(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid(), frames);
    }

    @Test
    void missThenHitServesTheStoredBytesAndTheHitNeverCallsTheStore() throws Exception {
        long before = upstreamCalls().getTotal();
        HttpResponse<byte[]> cold = get(url(slide, "7"), "Accept", STORED);
        assertEquals(200, cold.statusCode(), new String(cold.body()));
        long afterCold = upstreamCalls().getTotal();
        assertTrue(afterCold == before + 1 || afterCold == before + 2, "frames, and metadata once per instance");

        String contentType = cold.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(contentType.startsWith("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50; boundary="),
                contentType);
        assertTrue(new String(cold.body(), 0, 2).equals("--"), "body starts with the boundary, no preamble");
        List<BodyPart> parts = parts(cold);
        assertEquals(1, parts.size());
        assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", parts.get(0).contentType());
        assertArrayEquals(ORTHANC.running().rawFrame(slideId, 7), parts.get(0).content());
        assertArrayEquals(slide.frames().get(6), parts.get(0).content());
        assertTrue(parts.get(0).headers().get("content-location").endsWith("/instances/" + slide.sopInstanceUid() + "/frames/7"));

        HttpResponse<byte[]> warm = get(url(slide, "7"), "Accept", STORED);
        assertEquals(200, warm.statusCode());
        assertEquals(afterCold, upstreamCalls().getTotal(), "a hit must not call the store");
        assertArrayEquals(parts.get(0).content(), parts(warm).get(0).content());
        assertEquals("Accept", warm.headers().firstValue("Vary").orElse(null));
        assertEquals("private, max-age=3600", warm.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void framesComeInRequestOrderWithDuplicatesRepeatedFromOneUpstreamCall() throws Exception {
        long before = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> response = get(url(slide, "25,3,3,256"), "Accept", STORED);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(before + 1, upstreamCalls().getRawFrameCalls(), "all missing frames in one upstream request");
        List<BodyPart> parts = parts(response);
        int[] expected = {25, 3, 3, 256};
        assertEquals(expected.length, parts.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(slide.frames().get(expected[i] - 1), parts.get(i).content(), "part " + i);
        }
    }

    @Test
    void partialHitFetchesOnlyTheMissingFrames() throws Exception {
        assertEquals(200, get(url(slide, "100,101"), "Accept", STORED).statusCode());
        long before = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> response = get(url(slide, "99,100,101,102"), "Accept", STORED);
        assertEquals(200, response.statusCode());
        assertEquals(before + 1, upstreamCalls().getRawFrameCalls());
        List<BodyPart> parts = parts(response);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(slide.frames().get(98 + i), parts.get(i).content());
        }
        HttpResponse<byte[]> again = get(url(slide, "102,99"), "Accept", STORED);
        assertEquals(before + 1, upstreamCalls().getRawFrameCalls(), "all four are cached now");
        assertArrayEquals(slide.frames().get(101), parts(again).get(0).content());
    }

    @Test
    void everySpellingTheStoredSyntaxSatisfiesSharesOneCacheEntry() throws Exception {
        assertEquals(200, get(url(slide, "150"), "Accept", STORED).statusCode());
        long before = upstreamCalls().getRawFrameCalls();
        String[] spellings = {
            "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50",
            "multipart/related;type=image/jpeg;transfer-syntax=\"1.2.840.10008.1.2.4.50\"",
            "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90, "
                    + "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50",
            "multipart/related; type=\"image/jpeg\"; transfer-syntax=*",
            "*/*",
        };
        for (String accept : spellings) {
            HttpResponse<byte[]> response = get(url(slide, "150"), "Accept", accept);
            assertEquals(200, response.statusCode(), accept + ": " + new String(response.body()));
            assertArrayEquals(slide.frames().get(149), parts(response).get(0).content(), accept);
        }
        assertEquals(before, upstreamCalls().getRawFrameCalls(), "all served from the one stored-bytes entry");
    }

    @Test
    void framesAreWrittenToRedisWithTheConfiguredTtl() throws Exception {
        assertEquals(200, get(url(slide, "200"), "Accept", STORED).statusCode());
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS.running().port())) {
            Set<String> keys = jedis.keys("e2e-" + proxyPort + ":*:{" + slide.sopInstanceUid() + "}:200:*");
            assertEquals(1, keys.size(), keys.toString());
            String key = keys.iterator().next();
            assertTrue(key.endsWith(":200:raw:*"), key);
            long ttl = jedis.ttl(key);
            assertTrue(ttl > 590 && ttl <= 600, "ttl " + ttl);
            CachedFrame cached = CachedFrame.decode(jedis.get(key.getBytes()));
            assertArrayEquals(slide.frames().get(199), cached.bytes());
        }
    }

    @Test
    void nativeFramesAreServedAsStored() throws Exception {
        HttpResponse<byte[]> response = get(url(nativeSlide, "1,6"), "Accept", STORED);
        assertEquals(200, response.statusCode(), new String(response.body()));
        List<BodyPart> parts = parts(response);
        assertEquals("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", parts.get(0).contentType());
        assertArrayEquals(ORTHANC.running().rawFrame(nativeId, 1), parts.get(0).content());
        assertArrayEquals(nativeSlide.frames().get(5), parts.get(1).content());
    }

    @Test
    void unsupportedStoredSyntaxFallsBackToRenderedAndCachesOnlyTheRenderedFrames() throws Exception {
        // Implicit VR Little Endian is not a syntax we cache raw: Orthanc's raw answer is rejected, rendered is used
        long rawBefore = upstreamCalls().getRawFrameCalls();
        long renderedBefore = upstreamCalls().getRenderedCalls();
        HttpResponse<byte[]> response = get(url(implicitSlide, "2,4"), "Accept", STORED);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(rawBefore + 1, upstreamCalls().getRawFrameCalls());
        assertEquals(renderedBefore + 2, upstreamCalls().getRenderedCalls());
        List<BodyPart> parts = parts(response);
        assertEquals(2, parts.size());
        for (BodyPart part : parts) {
            assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", part.contentType());
            assertEquals((byte) 0xFF, part.content()[0]);
            assertEquals((byte) 0xD8, part.content()[1]);
        }
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS.running().port())) {
            assertTrue(jedis.keys("e2e-" + proxyPort + ":*:{" + implicitSlide.sopInstanceUid() + "}:*:raw:*").isEmpty(),
                    "a rejected raw answer must cache nothing");
            assertEquals(2, jedis.keys("e2e-" + proxyPort + ":*:{" + implicitSlide.sopInstanceUid() + "}:*:rendered:*").size());
        }
        HttpResponse<byte[]> again = get(url(implicitSlide, "4"), "Accept", STORED);
        assertEquals(200, again.statusCode());
        assertEquals(rawBefore + 2, upstreamCalls().getRawFrameCalls(), "the stored bytes are asked for again");
        assertEquals(renderedBefore + 2, upstreamCalls().getRenderedCalls(), "the rendered substitute comes from the cache");
        assertTrue(again.headers().firstValue("Warning").orElse("").contains("rendered fallback"));
        assertArrayEquals(parts.get(1).content(), parts(again).get(0).content());
    }

    @Test
    void renderedEndpointServesJpegAndPngAndCachesThem() throws Exception {
        String jpegUrl = url(slide, "5") + "/rendered";
        HttpResponse<byte[]> jpeg = get(jpegUrl);
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElseThrow());
        assertEquals((byte) 0xFF, jpeg.body()[0]);
        assertEquals((byte) 0xD8, jpeg.body()[1]);

        HttpResponse<byte[]> png = get(jpegUrl, "Accept", "image/png");
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertEquals((byte) 0x89, png.body()[0]);
        assertEquals('P', png.body()[1]);

        long before = upstreamCalls().getRenderedCalls();
        assertArrayEquals(jpeg.body(), get(jpegUrl, "Accept", "image/jpeg").body());
        assertArrayEquals(png.body(), get(jpegUrl, "Accept", "image/png").body());
        assertEquals(before, upstreamCalls().getRenderedCalls(), "both rendered types were cached");
    }

    @Test
    void badRequestsAreRejectedBeforeTheStoreIsAsked() throws Exception {
        long before = upstreamCalls().getTotal();
        for (String frames : new String[] {"0", "abc", "1,,2", "1;2", "-1"}) {
            HttpResponse<byte[]> response = get(url(slide, frames), "Accept", STORED);
            assertEquals(400, response.statusCode(), frames);
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
            String body = new String(response.body());
            assertTrue(body.endsWith("\n") && body.indexOf('\n') == body.length() - 1, "one line: " + body);
        }
        HttpResponse<byte[]> badUid = get(framesUrl("1.2.x", slide.seriesUid(), slide.sopInstanceUid(), "1"));
        assertEquals(400, badUid.statusCode());
        assertTrue(new String(badUid.body()).startsWith("invalid study UID"), new String(badUid.body()));
        assertEquals(before, upstreamCalls().getTotal());
    }

    @Test
    void storeStatusesReachTheClient() throws Exception {
        long frameCalls = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> outOfRange = get(url(slide, "1,257"), "Accept", STORED);
        assertEquals(400, outOfRange.statusCode(), new String(outOfRange.body()));
        assertEquals("frame 257 is out of range: the instance has 256 frames\n", new String(outOfRange.body()));
        HttpResponse<byte[]> unknown = get(framesUrl(slide.studyUid(), slide.seriesUid(), "1.2.3.4.5", "1"), "Accept", STORED);
        assertEquals(404, unknown.statusCode(), new String(unknown.body()));
        assertEquals("no such instance in the store (404)\n", new String(unknown.body()));
        HttpResponse<byte[]> wrongSeries = get(framesUrl(slide.studyUid(), "1.2.3", slide.sopInstanceUid(), "1"), "Accept", STORED);
        assertEquals(404, wrongSeries.statusCode(), "an instance is found only under its own study and series");
        assertEquals(frameCalls, upstreamCalls().getRawFrameCalls(), "refused before frames were asked for");
    }

    @Test
    void unsatisfiableAcceptIs406() throws Exception {
        HttpResponse<byte[]> response = get(url(slide, "1"), "Accept", "text/html");
        assertEquals(406, response.statusCode());
        assertTrue(new String(response.body()).contains("transfer-syntax=*"), new String(response.body()));
        HttpResponse<byte[]> rendered = get(url(slide, "1") + "/rendered", "Accept", "application/pdf");
        assertEquals(406, rendered.statusCode());
    }
}
