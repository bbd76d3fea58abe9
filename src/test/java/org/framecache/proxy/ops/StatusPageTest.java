package org.framecache.proxy.ops;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.framecache.proxy.ProxyTestSupport;
import org.framecache.proxy.cache.MemoryByteCache;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.Await;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operators' status page on the management port: numbers from the meters, recent errors, all escaped. */
class StatusPageTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    @Test
    void managementPortServesTheStatusPageWithHitRatioCircuitAndRecentErrors() throws Exception {
        byte[] frame = "a-jpeg-frame".getBytes(StandardCharsets.US_ASCII);
        store.answerFrames(Answer.of(200, "multipart/related; boundary=b", multipart("b", true, new Part(JPEG_PART, frame))));
        String url = framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.5", "1");
        assertEquals(200, get(url, "Accept", STORED).statusCode(), "miss");
        assertEquals(200, get(url, "Accept", STORED).statusCode(), "hit");
        HttpResponse<byte[]> bad = get(framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.5", "0"), "Accept", STORED);
        assertEquals(400, bad.statusCode());
        String reason = new String(bad.body(), StandardCharsets.UTF_8).strip();
        // a reason that carries request text: the proxy echoes a malformed q-value of the Accept header back
        HttpResponse<byte[]> markup = get(url, "Accept", "*/*; q=<script>x</script>");
        assertEquals(400, markup.statusCode());
        assertTrue(new String(markup.body(), StandardCharsets.UTF_8).contains("<script>x</script>"),
                "the reason carries the markup: " + new String(markup.body(), StandardCharsets.UTF_8));

        // errors are recorded as their exchanges complete, which may be just after the client has its answer
        Await.until(Duration.ofSeconds(5), () -> statusPage().contains("script&gt;"), "the error on the status page");
        HttpResponse<byte[]> response = get("http://127.0.0.1:" + managementPort + StatusPageSetup.PATH);
        String page = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(200, response.statusCode(), page);
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("50.0 %", element(page, "hit-ratio"), "1 hit of 2 frames served");
        assertTrue(page.contains("data-state=\"closed\">CLOSED<"), "circuit closed:\n" + page);
        assertTrue(page.contains("<td>cache</td><td class=\"n\">1</td>"), page);
        assertTrue(page.contains("<td>upstream</td><td class=\"n\">1</td>"), page);
        assertTrue(page.contains("<td>frames</td><td class=\"n\">1</td>"), "one upstream frames call:\n" + page);
        assertTrue(page.contains("<td class=\"n\">400</td><td>" + StatusPage.escape(reason) + "</td>"),
                "the 400 and its reason (" + reason + ") among recent errors:\n" + page);
        assertTrue(page.contains("&lt;script&gt;x&lt;/script&gt;"), "markup in a reason is escaped:\n" + page);
        assertFalse(page.contains("<script"), "no script element on the page:\n" + page);
        assertTrue(page.contains("in-process cache"), "cache description");
        assertEquals("UP", element(page, "cache-health"));
        // the page is on the management port only, not the proxy's
        assertEquals(404, get("http://127.0.0.1:" + proxyPort + StatusPageSetup.PATH).statusCode());
    }

    private String statusPage() {
        try {
            return new String(get("http://127.0.0.1:" + managementPort + StatusPageSetup.PATH).body(), StandardCharsets.UTF_8);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rendererEscapesEverythingAndShowsLatencyPercentiles() {
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long[] served = {3, 1, 0, 0};
        for (int i = 0; i < StatusPage.TIERS.length; i++) {
            long n = served[i];
            FunctionCounter.builder("dicomweb.frames.served", this, x -> n).tag("tier", StatusPage.TIERS[i]).register(meters);
        }
        Gauge.builder("dicomweb.upstream.circuit.open", () -> 1).register(meters);
        Timer latency = Timer.builder("dicomweb.upstream.latency").publishPercentileHistogram().register(meters);
        for (int ms = 1; ms <= 100; ms++) {
            latency.record(ms, TimeUnit.MILLISECONDS);
        }
        RecentErrors errors = new RecentErrors(20, Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));
        errors.record(502, "store said <b>bold</b> & \"quoted\" 'it'");
        FrameCache cache = new FrameCache(new MemoryByteCache(1 << 20, Duration.ofMinutes(1)), "t:", "http://store");

        String page = new StatusPage(() -> meters, cache, errors, () -> Duration.ofSeconds(3725), "proxy <x>").render();

        assertTrue(page.contains("store said &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;it&#39;"), page);
        assertFalse(page.contains("<b>") || page.contains("<x>"), page);
        assertTrue(page.contains("<title>proxy &lt;x&gt; status</title>"), page);
        assertTrue(page.contains("<td>2025-01-02 03:04:05Z</td><td class=\"n\">502</td>"), page);
        assertEquals("75.0 %", element(page, "hit-ratio"));
        assertTrue(page.contains("data-state=\"open\">OPEN<"), page);
        assertEquals("1 h 2 min 5 s", element(page, "uptime"));
        // 1..100 ms: p50 near 50 ms and p99 near 99 ms, estimated within their histogram buckets
        double p50 = latencyRow(page, "p50");
        double p99 = latencyRow(page, "p99");
        assertTrue(p50 > 40 && p50 < 60, "p50 " + p50);
        assertTrue(p99 > 89 && p99 <= 112, "p99 " + p99);
        assertTrue(page.contains("<td>mean</td><td class=\"n\">50.5 ms</td>"), page);
        // meters that are not registered show as such rather than failing
        assertTrue(page.contains("<td>metadata</td><td class=\"n\">n/a</td>"), page);
    }

    @Test
    void recentErrorsKeepsTheLastTwentyNewestFirst() {
        RecentErrors errors = new RecentErrors();
        for (int i = 1; i <= 25; i++) {
            errors.record(400 + i, "reason " + i + "\nsecond line");
        }
        List<RecentErrors.Entry> kept = errors.newestFirst();
        assertEquals(20, kept.size());
        assertEquals(425, kept.get(0).status());
        assertEquals("reason 25 second line", kept.get(0).reason());
        assertEquals(406, kept.get(19).status());
        assertEquals(25, errors.total());
    }

    @Test
    void onlyClientFacingRoutesAreRecorded() {
        assertTrue(ErrorAnswerRecorder.clientFacing("wado-frames"));
        assertTrue(ErrorAnswerRecorder.clientFacing("dicomweb-passthrough"));
        assertFalse(ErrorAnswerRecorder.clientFacing("fetch-raw-frames"));
        assertFalse(ErrorAnswerRecorder.clientFacing(null));
    }

    private static String element(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(page);
        assertTrue(m.find(), id + " not on the page:\n" + page);
        return m.group(1);
    }

    private static double latencyRow(String page, String name) {
        Matcher m = Pattern.compile("<td>" + name + "</td><td class=\"n\">≈ ([0-9.]+) ms</td>").matcher(page);
        assertTrue(m.find(), name + " not on the page:\n" + page);
        return Double.parseDouble(m.group(1));
    }
}
