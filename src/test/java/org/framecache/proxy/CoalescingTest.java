package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
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
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.testing.Await;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concurrent misses for one frame cost one upstream request; the others wait for its result. */
class CoalescingTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    private List<CompletableFuture<HttpResponse<byte[]>>> send(int n, String url) {
        List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Accept", STORED).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        return sent;
    }

    private List<HttpResponse<byte[]>> concurrently(int n, String url) {
        return send(n, url).stream().map(CompletableFuture::join).toList();
    }

    /**
     * Sends {@code n} requests while the store holds its frames answer, and lets it answer only once one of them is
     * fetching and {@code waiting} frame waits have joined it: the overlap is certain, not a matter of timing.
     */
    private List<HttpResponse<byte[]>> overlapping(int n, String url, long waiting) {
        long coalescedBefore = inFlightFrames().getCoalesced();
        int callsBefore = store.frameCalls();
        store.holdFrames();
        try {
            List<CompletableFuture<HttpResponse<byte[]>>> sent = send(n, url);
            Await.until(Duration.ofSeconds(30), () -> store.frameCalls() > callsBefore, "one request fetches");
            Await.until(Duration.ofSeconds(30), () -> inFlightFrames().getCoalesced() - coalescedBefore >= waiting,
                    waiting + " frame waits join the fetch");
            store.releaseFrames();
            return sent.stream().map(CompletableFuture::join).toList();
        } finally {
            store.releaseFrames();
        }
    }

    @Test
    void sixtyFourConcurrentRequestsForOneUncachedFrameMakeOneUpstreamFrameRequest() {
        byte[] frame = "the-only-fetch".getBytes(StandardCharsets.US_ASCII);
        store.answerFrames(Answer.of(200, "multipart/related; boundary=b1", multipart("b1", true, new Part(JPEG_PART, frame))));
        int before = store.frameCalls();
        long coalescedBefore = inFlightFrames().getCoalesced();
        List<HttpResponse<byte[]>> responses = overlapping(64, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.100", "9"), 63);
        for (HttpResponse<byte[]> response : responses) {
            assertEquals(200, response.statusCode(), new String(response.body()));
            assertArrayEquals(frame, parts(response).get(0).content());
        }
        assertEquals(before + 1, store.frameCalls(), "exactly one upstream frame request");
        String metrics = scrape();
        // the store answered only once all 63 others were waiting for that one fetch
        assertEquals(63, inFlightFrames().getCoalesced() - coalescedBefore, "the 63 others waited for the one fetch");
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
        String instance = "1.2.3.4.300";
        InstanceAccess access = context.getRegistry().lookupByNameAndType("instanceAccess", InstanceAccess.class);
        long awaitedBefore = access.getAwaited();
        long rememberedBefore = access.getRemembered();
        List<HttpResponse<byte[]>> responses;
        // the store holds its metadata answer until all 32 are in the access check: none finds a decision made
        store.holdMetadata();
        try {
            List<CompletableFuture<HttpResponse<byte[]>>> sent = send(32, framesUrl("1.2.3", "1.2.3.4", instance, "2"));
            Await.until(Duration.ofSeconds(30), () -> context.getInflightRepository().size("check-instance-access") == 32,
                    "32 requests in the access check");
            store.releaseMetadata();
            responses = sent.stream().map(CompletableFuture::join).toList();
        } finally {
            store.releaseMetadata();
        }
        for (HttpResponse<byte[]> response : responses) {
            assertEquals(200, response.statusCode(), new String(response.body()));
        }
        long metadataCalls = store.requests().stream().filter(r -> r.contains("/instances/" + instance + "/metadata")).count();
        assertEquals(1, metadataCalls, "one access check for 32 concurrent requests: " + store.requests());
        assertEquals(31, access.getRemembered() - rememberedBefore, "the 31 others took the one decision");
        // they were all in the access check before it was made: (nearly) all of them waited for the one asking
        long awaited = access.getAwaited() - awaitedBefore;
        assertTrue(awaited >= 1 && awaited <= 31, "awaited " + awaited);
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
        int before = store.frameCalls();
        long coalescedBefore = inFlightFrames().getCoalesced();
        List<HttpResponse<byte[]>> responses;
        store.holdFrames();
        try {
            CompletableFuture<HttpResponse<byte[]>> owner = send(1, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.102", "1,2,3")).get(0);
            // the store has the owner's call: frames 1, 2 and 3 are claimed (claims come before the fetch)
            Await.until(Duration.ofSeconds(30), () -> store.frameCalls() > before, "the first request fetches");
            List<CompletableFuture<HttpResponse<byte[]>>> others = send(4, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.102", "3,1"));
            Await.until(Duration.ofSeconds(30), () -> inFlightFrames().getCoalesced() - coalescedBefore >= 8,
                    "4 requests wait for frames 3 and 1");
            store.releaseFrames();
            assertEquals(200, owner.join().statusCode());
            responses = others.stream().map(CompletableFuture::join).toList();
        } finally {
            store.releaseFrames();
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
        int callsBeforeFailure = store.frameCalls();
        List<HttpResponse<byte[]>> responses = overlapping(16, framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.101", "2"), 15);
        for (HttpResponse<byte[]> response : responses) {
            int status = response.statusCode();
            // the fetching request passes the store's 404 on; those who waited for it learn the fetch failed
            assertEquals(true, status == 404 || status == 502, "status " + status);
        }
        assertEquals(1, store.frameCalls() - callsBeforeFailure, "one fetch for the 16");
        InFlightFrames inFlight = context.getRegistry().lookupByNameAndType("inFlightFrames", InFlightFrames.class);
        assertEquals(0, inFlight.inFlightCount());
    }
}
