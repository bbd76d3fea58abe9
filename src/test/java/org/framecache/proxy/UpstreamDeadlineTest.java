package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.upstream.UpstreamBreaker;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that trickles its answers (one byte every 300 ms: no read ever times out) meets the overall deadline of
 * each store call: 504 within it, for the request and for those waiting on the same frames; the breaker counts the
 * failures; the pool gets its connections back; cached frames stay fast meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamDeadlineTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final long DEADLINE = 2000;
    private static final long BULK_DEADLINE = 4000;
    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private static final String BOUNDARY = "deadline-boundary";
    private static final String MULTIPART = "multipart/related; type=\"image/jpeg\"; boundary=" + BOUNDARY;
    private static final AtomicInteger INSTANCE = new AtomicInteger(1);
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE);
        p.setProperty("proxy.upstream-deadline-ms", Long.toString(DEADLINE));
        p.setProperty("proxy.upstream-bulk-deadline-ms", Long.toString(BULK_DEADLINE));
        p.setProperty("proxy.breaker-failures", "3");
        p.setProperty("proxy.breaker-open-ms", "1500");
        p.setProperty("fallback.rendered-enabled", "false");
        return p;
    }

    private static byte[] body(String instance) {
        return multipart(BOUNDARY, true, new Part(JPEG_PART, ("frame of " + instance).getBytes(StandardCharsets.US_ASCII)));
    }

    private static Answer trickle(String path) {
        return Answer.trickled(200, MULTIPART, body(path), 300);
    }

    private String freshInstance() {
        return "1.2.3.4." + INSTANCE.getAndIncrement();
    }

    private CompletableFuture<Timed> timedGet(String url) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                HttpResponse<byte[]> response = get(url, "Accept", STORED);
                return new Timed(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CLIENTS);
    }

    private record Timed(int status, String body, long millis) {
    }

    private int leasedConnections() {
        return context.getEndpoints().stream().filter(HttpEndpoint.class::isInstance)
                .map(e -> ((HttpEndpoint) e).getClientConnectionManager())
                .filter(PoolingHttpClientConnectionManager.class::isInstance)
                .mapToInt(m -> ((PoolingHttpClientConnectionManager) m).getTotalStats().getLeased()).sum();
    }

    @Test
    @Order(1)
    void aTricklingStoreGives504WithinTheDeadlineToTheRequestAndToTheOneWaitingForTheSameFrame() throws Exception {
        store.answerFrames(UpstreamDeadlineTest::trickle);
        String url = framesUrl("1.2.3", "1.2.3.4", freshInstance(), "1");
        int callsBefore = store.frameCalls();

        CompletableFuture<Timed> first = timedGet(url);
        assertTrue(store.awaitFrameCalls(callsBefore + 1, 5000), "the first request reached the store");
        CompletableFuture<Timed> waiter = timedGet(url);
        Timed a = first.get(15, TimeUnit.SECONDS);
        Timed b = waiter.get(15, TimeUnit.SECONDS);

        System.out.printf("trickling store: fetching request %d after %d ms (%s), waiting request %d after %d ms (%s)%n",
                a.status(), a.millis(), a.body().strip(), b.status(), b.millis(), b.body().strip());
        assertEquals(504, a.status(), a.body());
        assertTrue(a.body().startsWith("upstream store did not answer in time"), a.body());
        assertTrue(a.millis() >= DEADLINE - 100 && a.millis() < DEADLINE + 1000, a.millis() + " ms");
        assertEquals(504, b.status(), b.body());
        assertTrue(b.millis() < DEADLINE + 1000, b.millis() + " ms");
        assertEquals(callsBefore + 1, store.frameCalls(), "the second request waited for the first one's fetch");
        assertEquals(0, leasedConnections(), "the aborted call's connection went back to the pool");
    }

    @Test
    @Order(2)
    void withManyTricklingRequestsInFlightCachedFramesAreServedFastAndThenTheBreakerOpens() throws Exception {
        String cachedInstance = freshInstance();
        store.answerFrames(path -> path.contains("/instances/" + cachedInstance + "/")
                ? Answer.of(200, MULTIPART, body(path)) : trickle(path));
        String cached = framesUrl("1.2.3", "1.2.3.4", cachedInstance, "1");
        assertEquals(200, get(cached, "Accept", STORED).statusCode());
        int callsBefore = store.frameCalls();

        List<CompletableFuture<Timed>> trickling = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            trickling.add(timedGet(framesUrl("1.2.3", "1.2.3.4", freshInstance(), "1")));
        }
        // 32 connections per route: half the calls wait for a pooled connection, within the same deadline
        assertTrue(store.awaitFrameCalls(callsBefore + 32, 5000), "32 trickling calls reached the store");
        long worst = 0;
        long total = 0;
        int served = 0;
        long started = System.nanoTime();
        while (trickling.stream().anyMatch(f -> !f.isDone()) && served < 2000) {
            long start = System.nanoTime();
            HttpResponse<byte[]> hit = get(cached, "Accept", STORED);
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            assertEquals(200, hit.statusCode());
            worst = Math.max(worst, micros);
            total += micros;
            served++;
        }
        long window = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        List<Timed> answers = new ArrayList<>();
        for (CompletableFuture<Timed> f : trickling) {
            answers.add(f.get(20, TimeUnit.SECONDS));
        }
        long slowest = answers.stream().mapToLong(Timed::millis).max().orElseThrow();
        System.out.printf("64 trickling requests: statuses %s, slowest %d ms; meanwhile %d cached hits in %d ms,"
                + " mean %d us, worst %d us%n", answers.stream().map(Timed::status).distinct().toList(), slowest,
                served, window, served == 0 ? 0 : total / served, worst);
        assertTrue(served > 0, "cached frames were asked for while the trickling calls were in flight");
        assertTrue(worst < 500_000, "worst cached hit " + worst + " us");
        long withinOneDeadline = answers.stream().filter(a -> a.millis() < DEADLINE + 1000).count();
        System.out.printf("%d of 64 answered within one deadline (+1 s); the others made their access check on a"
                + " connection freed by an aborted call, then a frames call with a deadline of its own%n", withinOneDeadline);
        for (Timed answer : answers) {
            assertTrue(answer.status() == 504 || answer.status() == 503, answer.status() + " " + answer.body());
            // at most two store calls per request (access check, frames), each with its own deadline
            assertTrue(answer.millis() < 2 * DEADLINE + 1000, answer.millis() + " ms");
        }
        assertEquals(0, leasedConnections(), "every aborted call's connection went back to the pool");

        UpstreamBreaker breaker = context.getRegistry().lookupByNameAndType("upstreamBreaker", UpstreamBreaker.class);
        assertTrue(breaker.isOpen(), "deadline failures open the circuit");
        long start = System.nanoTime();
        HttpResponse<byte[]> refused = get(framesUrl("1.2.3", "1.2.3.4", freshInstance(), "1"), "Accept", STORED);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(503, refused.statusCode(), new String(refused.body()));
        assertTrue(millis < 500, "refused at once: " + millis + " ms");
    }

    @Test
    @Order(3)
    void passThroughCallsHaveTheLongerDeadline() throws Exception {
        UpstreamBreaker breaker = context.getRegistry().lookupByNameAndType("upstreamBreaker", UpstreamBreaker.class);
        store.answerFrames(Answer.of(200, "application/dicom+json", "[]".getBytes(StandardCharsets.US_ASCII)));
        // the trial call after the open pause closes the circuit again
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status = 0;
        while (status != 200 && System.nanoTime() < until) {
            status = get("http://127.0.0.1:" + proxyPort + "/dicomweb/studies?PatientID=x").statusCode();
        }
        assertEquals(200, status);
        assertTrue(!breaker.isOpen());

        store.delay(20_000); // no status line at all
        try {
            long start = System.nanoTime();
            HttpResponse<byte[]> search = get("http://127.0.0.1:" + proxyPort + "/dicomweb/studies?PatientID=y");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("pass-through to a silent store: %d after %d ms%n", search.statusCode(), millis);
            assertEquals(504, search.statusCode(), new String(search.body()));
            assertTrue(millis >= BULK_DEADLINE - 100 && millis < BULK_DEADLINE + 1000, millis + " ms");
        } finally {
            store.delay(0);
        }
    }
}
