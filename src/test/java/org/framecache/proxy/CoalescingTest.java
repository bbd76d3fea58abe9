package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.junit.jupiter.api.Test;

/** Concurrent misses for one frame cost one upstream request; the others wait for its result. */
class CoalescingTest extends FakeStoreTestSupport {
    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";


    private List<HttpResponse<byte[]>> concurrently(int n, String url) {
        List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Accept", STORED).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void sixtyFourConcurrentRequestsForOneUncachedFrameMakeOneUpstreamFrameRequest() {
        byte[] frame = "the-only-fetch".getBytes(StandardCharsets.US_ASCII);
        store.answerFrames(Answer.of(200, "multipart/related; boundary=b1", multipart("b1", true, new Part(JPEG_PART, frame))));
        store.delay(400);
        int before = store.frameCalls();
        long coalescedBefore = inFlightFrames().getCoalesced();
        try {
            List<HttpResponse<byte[]>> responses = concurrently(64, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.100", "9"));
            for (HttpResponse<byte[]> response : responses) {
                assertEquals(200, response.statusCode(), new String(response.body()));
                assertArrayEquals(frame, parts(response).get(0).content());
            }
        } finally {
            store.delay(0);
        }
        assertEquals(before + 1, store.frameCalls(), "exactly one upstream frame request");
        String metrics = scrape();
        // the others either waited for that fetch (coalesced) or, arriving after it, hit the cache
        long coalesced = inFlightFrames().getCoalesced() - coalescedBefore;
        assertTrue(coalesced >= 1 && coalesced <= 63, "coalesced " + coalesced);
        assertEquals(inFlightFrames().getCoalesced(), (long) metric(metrics, "dicomweb_frames_coalesced_total"));
        assertEquals(upstreamCalls().getRawFrameCalls(), (long) metric(metrics, "dicomweb_upstream_calls_total{kind=\"frames\"}"));
        assertTrue(metrics.contains("camel_exchanges_total"), "Camel's route metrics are on the same scrape");
        InFlightFrames inFlight = context.getRegistry().lookupByNameAndType("inFlightFrames", InFlightFrames.class);
        assertEquals(0, inFlight.inFlightCount(), "every claim was released");
    }

    @Test
    void concurrentRequestsWithoutAnAccessDecisionAskTheStoreOnce() {
        byte[] frame = "access-once".getBytes(StandardCharsets.US_ASCII);
        store.answerFrames(Answer.of(200, "multipart/related; boundary=b3", multipart("b3", true, new Part(JPEG_PART, frame))));
        store.delay(300);
        String instance = "1.2.3.4.300";
        try {
            for (HttpResponse<byte[]> response : concurrently(32, framesUrl("1.2.3", "1.2.3.4", instance, "2"))) {
                assertEquals(200, response.statusCode(), new String(response.body()));
            }
        } finally {
            store.delay(0);
        }
        long metadataCalls = store.requests().stream().filter(r -> r.contains("/instances/" + instance + "/metadata")).count();
        assertEquals(1, metadataCalls, "one access check for 32 concurrent requests: " + store.requests());
    }

    private InFlightFrames inFlightFrames() {
        return context.getRegistry().lookupByNameAndType("inFlightFrames", InFlightFrames.class);
    }

    private String scrape() {
        try {
            HttpResponse<byte[]> response = get("http://127.0.0.1:" + managementPort + "/observe/metrics");
            assertEquals(200, response.statusCode());
            return new String(response.body(), StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of the first sample line starting with this name (and labels). */
    private static double metric(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ") || line.startsWith(series.replace("}", ",") )) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(series + " not in the scrape:\n" + scrape);
    }

    @Test
    void overlappingFrameSetsShareTheFramesAlreadyBeingFetched() {
        String parts = "multipart/related; boundary=b2";
        byte[] body = multipart("b2", true, new Part(JPEG_PART, "f1".getBytes()), new Part(JPEG_PART, "f2".getBytes()),
                new Part(JPEG_PART, "f3".getBytes()));
        store.answerFrames(Answer.of(200, parts, body));
        store.delay(500);
        int before = store.frameCalls();
        List<HttpResponse<byte[]>> responses;
        try {
            String first = framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.102", "1,2,3");
            CompletableFuture<HttpResponse<byte[]>> owner = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(first))
                    .header("Accept", STORED).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            Thread.sleep(150); // the first request has claimed frames 1, 2 and 3
            responses = concurrently(4, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.102", "3,1"));
            assertEquals(200, owner.join().statusCode());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            store.delay(0);
        }
        for (HttpResponse<byte[]> response : responses) {
            assertEquals(200, response.statusCode(), new String(response.body()));
            assertArrayEquals("f3".getBytes(), parts(response).get(0).content());
            assertArrayEquals("f1".getBytes(), parts(response).get(1).content());
        }
        assertEquals(before + 1, store.frameCalls(), "frames 3 and 1 were awaited, not fetched again");
    }

    @Test
    void whenTheOneFetchFailsTheWaitersAreToldAndNothingHangs() {
        store.answerFrames(Answer.of(404, null, new byte[0]));
        store.delay(300);
        try {
            List<HttpResponse<byte[]>> responses = concurrently(16, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.101", "2"));
            for (HttpResponse<byte[]> response : responses) {
                int status = response.statusCode();
                // the fetching request passes the store's 404 on; those who waited for it learn the fetch failed
                assertEquals(true, status == 404 || status == 502, "status " + status);
            }
        } finally {
            store.delay(0);
        }
        InFlightFrames inFlight = context.getRegistry().lookupByNameAndType("inFlightFrames", InFlightFrames.class);
        assertEquals(0, inFlight.inFlightCount());
    }
}
