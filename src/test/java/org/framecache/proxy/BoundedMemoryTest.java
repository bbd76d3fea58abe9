package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.ProxyJvm;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The requests that used to kill the proxy or hang it, sent to a proxy in a JVM of its own started with the image's
 * flags (k8s/Containerfile: -Xmx384m, -XX:MaxDirectMemorySize=64m, exit on OutOfMemoryError) in front of the real
 * Orthanc: the first frame of a 126 MiB native instance (whole-instance prefetch), a 40-frame list of 3 MiB frames
 * fetched from the store, a cached frame repeated 100 times, answers of about 30 MiB from the in-process path and
 * from the route. Each is answered (200, or 413 over proxy.max-answer-bytes), the proxy stays up, and its heap
 * after a full GC is what its cache holds plus a bounded rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoundedMemoryTest {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();
    private static final String STORED = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SIDE = 1024; // 1024 x 1024 RGB: 3 MiB frames
    private static final long MAX_ANSWER = 32L << 20; // the default proxy.max-answer-bytes
    private static final long MIB = 1 << 20;

    /** 42 frames, 126 MiB: prefetched whole on its first miss (prefetch.min-frames 41). */
    private GeneratedInstance large;
    /** 40 frames, 120 MiB: below prefetch.min-frames, so its frames come from the store as asked for. */
    private GeneratedInstance listed;
    /** Another such instance, for requests at once. */
    private GeneratedInstance another;
    /** One 1024 x 1024 and one 2048 x 2048 baseline JPEG frame: large single frames (overview images) to render. */
    private GeneratedInstance big;
    private GeneratedInstance huge;
    private ProxyJvm proxy;
    private int port;
    private int management;

    @BeforeAll
    void startTheProxyWithTheImagesFlags() throws Exception {
        large = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 42, SIDE, SIDE, true);
        ORTHANC.upload(large.part10());
        listed = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 40, SIDE, SIDE, true);
        ORTHANC.upload(listed.part10());
        another = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 40, SIDE, SIDE, true);
        ORTHANC.upload(another.part10());
        big = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 1, 1, 1024, true);
        ORTHANC.upload(big.part10());
        huge = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 1, 1, 2048, true);
        ORTHANC.upload(huge.part10());

        proxy = ProxyJvm.mainClass(imageJvmFlags()).with(propertiesOf(ORTHANC)).with("prefetch.min-frames", "41").start();
        port = proxy.port();
        management = proxy.managementPort();
        proxy.line(line -> line.contains("In-process hits are answered before their routes"), Duration.ofSeconds(60)).get();
    }

    /** The JVM options of the image's CMD: what production runs with. */
    private static List<String> imageJvmFlags() throws IOException {
        String cmd = Files.readAllLines(Path.of("k8s/Containerfile")).stream().filter(l -> l.startsWith("CMD"))
                .findFirst().orElseThrow();
        List<String> words = Arrays.stream(cmd.substring(cmd.indexOf('[') + 1, cmd.lastIndexOf(']')).split(","))
                .map(w -> w.strip().replace("\"", "")).toList();
        List<String> flags = words.subList(1, words.indexOf("-jar"));
        assertTrue(flags.contains("-Xmx384m") && flags.contains("-XX:+ExitOnOutOfMemoryError"), "image flags: " + flags);
        return flags;
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
    }

    private String frames(GeneratedInstance instance, String list) {
        return "http://127.0.0.1:" + port + "/dicomweb/studies/" + instance.studyUid() + "/series/"
                + instance.seriesUid() + "/instances/" + instance.sopInstanceUid() + "/frames/" + list;
    }

    private static String list(int first, int last) {
        return IntStream.rangeClosed(first, last).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static String repeat(int frame, int times) {
        return IntStream.range(0, times).mapToObj(i -> Integer.toString(frame)).collect(Collectors.joining(","));
    }

    private static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", STORED);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<BodyPart> parts(HttpResponse<byte[]> response) {
        Iterator<BodyPart> it = new MultipartRelatedReader(64 << 20).parts(new ByteArrayInputStream(response.body()),
                response.headers().firstValue("Content-Type").orElseThrow());
        List<BodyPart> parts = new ArrayList<>();
        it.forEachRemaining(parts::add);
        return parts;
    }

    private static void assertRefusedAsTooLarge(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(413, response.statusCode(), body);
        assertTrue(body.contains("proxy.max-answer-bytes") && body.strip().lines().count() == 1, body);
    }

    private void assertUp() {
        assertTrue(proxy.isAlive(), "the proxy is up:\n" + proxy.tail());
    }

    private String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of a metric's samples whose line contains every one of {@code labels}. */
    private static double metric(String metrics, String name, String... labels) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(1)
    void theFirstFrameOfA126MiBInstanceIsServedAndTheInstancePrefetchedAsAStream() throws Exception {
        CompletableFuture<String> prefetched = proxy.line(line -> line.contains("prefetch")
                && line.contains(large.sopInstanceUid()), Duration.ofSeconds(120));
        HttpResponse<byte[]> first = get(frames(large, "1"));
        assertEquals(200, first.statusCode(), new String(first.body(), StandardCharsets.ISO_8859_1));
        assertArrayEquals(large.frames().get(0), parts(first).get(0).content());
        String done = prefetched.get(120, TimeUnit.SECONDS);
        assertTrue(done.contains("prefetched 42 frames"), done);
        assertUp();
    }

    @Test
    @Order(2)
    void aFortyFrameListOfThreeMiBFramesFromTheStoreIs413AndTenOfThemAre200() throws Exception {
        assertRefusedAsTooLarge(get(frames(listed, list(1, 40))));
        assertUp();
        HttpResponse<byte[]> ten = get(frames(listed, list(1, 10)));
        assertEquals(200, ten.statusCode(), new String(ten.body(), StandardCharsets.ISO_8859_1));
        List<BodyPart> parts = parts(ten);
        assertEquals(10, parts.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(listed.frames().get(i), parts.get(i).content(), "frame " + (i + 1));
        }
        assertUp();
    }

    @Test
    @Order(3)
    void aCachedFrameRepeatedIsOneViewWrittenAgainAndOverTheBudget413() throws Exception {
        assertRefusedAsTooLarge(get(frames(large, repeat(1, 100))));
        double inProcessBefore = metric(metrics(), "dicomweb_requests_in_process_total");
        // 10 x 3 MiB: just under the budget, from the in-process path and (another caller) through the route
        for (String[] caller : List.of(new String[0], new String[] {"Authorization", "Bearer another-caller"})) {
            HttpResponse<byte[]> repeated = get(frames(large, repeat(1, 10)), caller);
            assertEquals(200, repeated.statusCode(), new String(repeated.body(), StandardCharsets.ISO_8859_1));
            assertTrue(repeated.body().length > 30 * MIB && repeated.body().length <= MAX_ANSWER);
            List<BodyPart> parts = parts(repeated);
            assertEquals(10, parts.size());
            for (BodyPart part : parts) {
                assertArrayEquals(large.frames().get(0), part.content());
            }
        }
        assertEquals(inProcessBefore + 1, metric(metrics(), "dicomweb_requests_in_process_total"),
                "one of the two was answered in process, the other by its route");
        assertUp();
    }

    @Test
    @Order(4)
    void answersOverTheDirectMemoryLimitAreWrittenWhole() throws Exception {
        // 10 x 3 MiB of cached frames, written to a connection that takes them (the image's 64 MiB of direct memory
        // held an answer whole before: one over it was never sent)
        long start = System.nanoTime();
        HttpResponse<byte[]> answer = get(frames(listed, list(1, 10)));
        assertEquals(200, answer.statusCode());
        assertEquals(10, parts(answer).size());
        System.out.printf("30 MiB answer from the cache in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertUp();
    }

    @Test
    @Order(5)
    void anAnswerCutShortByTheClientIsLoggedAsNotDeliveredNot200() throws Exception {
        // in process (remembered caller), then through the route (a caller the proxy has not seen)
        for (String authorization : List.of("", "Authorization: Bearer a-third-caller\r\n")) {
            String path = URI.create(frames(listed, list(1, 10))).getRawPath();
            CompletableFuture<String> logged = proxy.line(line -> line.contains("access - GET " + path + " ")
                    && line.contains("caller=" + (authorization.isEmpty() ? "anonymous" : "")) && !line.contains(" 200 ")
                    && !line.contains(" 413 "), Duration.ofSeconds(60));
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + STORED
                        + "\r\n" + authorization + "\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] some = socket.getInputStream().readNBytes(256 * 1024);
                assertTrue(new String(some, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
                socket.setSoLinger(true, 0); // a reset: the client is gone
            }
            String line = logged.get(60, TimeUnit.SECONDS);
            assertTrue(line.contains(" 499 "), line);
        }
        assertUp();
    }

    @Test
    @Order(6)
    void largeRequestsAtOnceAreServedOrRefusedWithinTheProcessBudget() throws Exception {
        // four 30 MiB answers from the store at once: together over what the heap has beside a full cache
        List<String> urls = List.of(frames(listed, list(21, 30)), frames(another, list(1, 10)),
                frames(another, list(21, 30)), frames(listed, list(31, 40)));
        List<CompletableFuture<HttpResponse<byte[]>>> answers = urls.stream().map(url -> HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Accept", STORED).build(),
                HttpResponse.BodyHandlers.ofByteArray())).toList();
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<byte[]> answer = answers.get(i).get(90, TimeUnit.SECONDS);
            if (answer.statusCode() == 200) {
                assertFrames(answer, i);
            } else {
                String text = new String(answer.body(), StandardCharsets.ISO_8859_1);
                assertEquals(503, answer.statusCode(), text);
                assertTrue(text.contains("proxy.max-inflight-bytes"), text);
                refused.add(i);
            }
        }
        System.out.printf("4 x 30 MiB at once: %d served, %d refused%n", answers.size() - refused.size(), refused.size());
        assertUp();
        // refused ones are served once the others are done: each alone fits
        for (int i : refused) {
            HttpResponse<byte[]> again = get(urls.get(i));
            assertEquals(200, again.statusCode(), new String(again.body(), StandardCharsets.ISO_8859_1));
            assertFrames(again, i);
        }
        assertUp();
    }

    /** Answer {@code i} of the requests at once: ten frames as stored. */
    private void assertFrames(HttpResponse<byte[]> answer, int i) {
        List<BodyPart> parts = parts(answer);
        GeneratedInstance instance = i == 0 || i == 3 ? listed : another;
        int first = new int[] {20, 0, 20, 30}[i];
        assertEquals(10, parts.size());
        for (int f = 0; f < 10; f++) {
            assertArrayEquals(instance.frames().get(first + f), parts.get(f).content(), "frame " + (first + f + 1));
        }
    }

    @Test
    @Order(7)
    void largeFramesRenderedAtOnceWaitForTheirMemoryOrAreRefusedAndTheProcessStaysUp() throws Exception {
        // four renderings of a 1024 x 1024 frame at once (different keys): ~12 MiB each, two at a time in the 32 MiB
        // budget, beside a cache filled by the cases before
        List<CompletableFuture<HttpResponse<byte[]>>> bigs = IntStream.rangeClosed(61, 64).mapToObj(q -> HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(frames(big, "1") + "/rendered?quality=" + q)).timeout(Duration.ofSeconds(60))
                        .header("Accept", "image/jpeg").build(), HttpResponse.BodyHandlers.ofByteArray())).toList();
        // two of a 2048 x 2048 frame: each needs more than the whole budget (~48 MiB), refused without decoding
        List<CompletableFuture<HttpResponse<byte[]>>> huges = IntStream.rangeClosed(61, 62).mapToObj(q -> HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(frames(huge, "1") + "/rendered?quality=" + q)).timeout(Duration.ofSeconds(60))
                        .header("Accept", "image/jpeg").build(), HttpResponse.BodyHandlers.ofByteArray())).toList();
        for (CompletableFuture<HttpResponse<byte[]>> answer : bigs) {
            HttpResponse<byte[]> response = answer.get(90, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.ISO_8859_1));
            assertEquals(1024, ImageIO.read(new java.io.ByteArrayInputStream(response.body())).getWidth());
        }
        for (CompletableFuture<HttpResponse<byte[]>> answer : huges) {
            HttpResponse<byte[]> response = answer.get(90, TimeUnit.SECONDS);
            String text = new String(response.body(), StandardCharsets.ISO_8859_1);
            assertEquals(503, response.statusCode(), text);
            assertTrue(text.contains("render.max-memory-bytes"), text);
        }
        assertUp();
    }

    @Test
    @Order(8)
    void theHeapAfterAFullGcIsTheCacheAndABoundedRest() throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(proxy.pid()), "GC.run").redirectErrorStream(true).start();
        assertEquals(0, gc.waitFor(), new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String metrics = metrics();
        double heap = metric(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
        double cached = metric(metrics, "dicomweb_cache_memory_bytes");
        System.out.printf("heap after GC %.1f MiB, of which cached frames %.1f MiB%n", heap / MIB, cached / MIB);
        assertTrue(cached >= 100 * MIB, "frames are cached: " + cached);
        // the cache weighs its values as G1 holds them (a 3 MiB frame in four 1 MiB regions with -Xmx384m); besides
        // it, nothing but a bounded rest (what the proxy needs when idle) may stay
        assertTrue(heap < cached + 48 * MIB, "heap after GC " + heap / MIB + " MiB, cache " + cached / MIB + " MiB");
        assertUp();
    }
}
