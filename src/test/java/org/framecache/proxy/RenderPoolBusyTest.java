package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.framecache.proxy.render.RenderPool;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Back-pressure of the render pool, over real HTTP: with its one thread busy and its one queue slot taken, a rendered miss is refused
 * at once with 503, Retry-After and a one-line reason (the stored frame is fetched and cached all the same); once the
 * thread is free the same request is rendered. Cached renderings never need the pool. (quality=80: a baseline JPEG
 * asked as it is would be served as stored, without the pool.)
 */
class RenderPoolBusyTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        Properties properties = propertiesOf(ORTHANC);
        properties.setProperty("render.threads", "1");
        properties.setProperty("render.queue", "1");
        // 1 MiB: a 64x64 tile's rendering fits (~0.3 MiB), a 512x512 frame's (~2.3 MiB) does not
        properties.setProperty("render.max-memory-bytes", Integer.toString(1 << 20));
        return properties;
    }

    private GeneratedInstance large;

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 2, 64, true);
        ORTHANC.upload(slide.part10());
        large = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 1, 1, 512, true);
        ORTHANC.upload(large.part10());
    }

    @Test
    void aFrameWhoseRenderingNeedsMoreThanTheMemoryBudgetIs503WithTheReasonAndNoRetryAfter() throws Exception {
        RenderPool pool = context.getRegistry().lookupByNameAndType("renderPool", RenderPool.class);
        long rendered = pool.getRendered();
        HttpResponse<byte[]> response = get(framesUrl(large.studyUid(), large.seriesUid(), large.sopInstanceUid(), "1")
                + "/rendered?quality=80", "Accept", "image/jpeg");
        assertEquals(503, response.statusCode());
        assertTrue(new String(response.body()).contains("render.max-memory-bytes"), new String(response.body()));
        assertTrue(response.headers().firstValue("Retry-After").isEmpty(), "it will not fit later either");
        assertEquals(rendered, pool.getRendered(), "nothing rendered");
        assertEquals(0, pool.getMemoryInUse());
        // the same rendering asked at once: those who waited for the first get its answer, not a bare 502
        List<CompletableFuture<HttpResponse<byte[]>>> atOnce = IntStream.range(0, 6).mapToObj(i -> HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(framesUrl(large.studyUid(), large.seriesUid(), large.sopInstanceUid(), "1")
                        + "/rendered?quality=81")).header("Accept", "image/jpeg").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray())).toList();
        for (CompletableFuture<HttpResponse<byte[]>> answer : atOnce) {
            HttpResponse<byte[]> each = answer.get(60, TimeUnit.SECONDS);
            assertEquals(503, each.statusCode(), new String(each.body()));
            assertTrue(new String(each.body()).contains("render.max-memory-bytes"), new String(each.body()));
        }
        HttpResponse<byte[]> asStored = get(framesUrl(large.studyUid(), large.seriesUid(), large.sopInstanceUid(), "1")
                + "/rendered", "Accept", "image/jpeg");
        assertEquals(200, asStored.statusCode(), "the stored JPEG as it is needs no rendering memory");
    }

    @Test
    void aFullPoolIs503WithRetryAfterThenRendersWhenFree() throws Exception {
        String url = framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "2") + "/rendered?quality=80";
        assertEquals(200, get(framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "1") + "/rendered?quality=80")
                .statusCode());
        RenderPool pool = context.getRegistry().lookupByNameAndType("renderPool", RenderPool.class);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable blocking = () -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Future<?> running = pool.submit(blocking);
        assertTrue(started.await(10, TimeUnit.SECONDS), "the thread took the first task: the queue is empty again");
        Future<?> queued = pool.submit(blocking);
        try {
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> { }), "one thread, one queued: full");

            HttpResponse<byte[]> busy = get(url);
            assertEquals(503, busy.statusCode());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
            String reason = new String(busy.body());
            assertTrue(reason.contains("render.threads"), reason);
            assertEquals(1, reason.strip().lines().count());

            // what is cached is served without the pool
            HttpResponse<byte[]> cached = get(framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "1")
                    + "/rendered?quality=80");
            assertEquals(200, cached.statusCode());
        } finally {
            release.countDown();
        }
        running.get(10, TimeUnit.SECONDS);
        queued.get(10, TimeUnit.SECONDS);
        long raw = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> rendered = get(url);
        assertEquals(200, rendered.statusCode(), new String(rendered.body()));
        assertEquals("image/jpeg", rendered.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(raw, upstreamCalls().getRawFrameCalls(), "the stored frame the refused request fetched was cached");
    }
}
