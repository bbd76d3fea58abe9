package org.framecache.proxy.ops;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.framecache.proxy.ProxyMain;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.testing.Await;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An operator changes what the proxy does by editing a copy of routes/ (YAML only) and pointing the application
 * at it, the way {@link ProxyMain} starts it: no rebuild. The same application on the repository's routes (and on
 * the jar's copy) keeps the default behaviour, so each assertion on the edited copy can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutesWithoutRecompileTest {
    private static final Path REPOSITORY_ROUTES = Path.of("routes");
    private static final String STORED = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final String JPEG_PART = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";
    private static final String BOUNDARY = "ops-boundary-42";
    private static final String MULTIPART = "multipart/related; type=\"image/jpeg\"; boundary=" + BOUNDARY;
    private static final byte[] RENDERED = {(byte) 0xFF, (byte) 0xD8, 'o', 'p', 's', (byte) 0xFF, (byte) 0xD9};
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger INSTANCE = new AtomicInteger(1);

    /** (a) a header on every frames answer: a step after the response writer, which starts from no headers. */
    private static final String WRITER_STEP = """
                    - bean:
                        id: write-multipart-response
                        ref: responseWriter
                        method: frames
            """;
    private static final String SERVED_BY_STEP = """
                    - setHeader:
                        id: served-by
                        name: X-Served-By
                        constant: edited-route
            """;
    /** (b) the rendered fallback off: the doCatch no longer catches a failed raw retrieval. */
    private static final String FALLBACK_CONDITION = "ref: renderedFallbackPossible";
    private static final String NO_FALLBACK_CONDITION = "simple: \"false\"";

    private final List<Main> started = new ArrayList<>();
    private final List<Path> temporary = new ArrayList<>();
    private FakeDicomWebStore store;
    private int editedPort;
    private int repositoryPort;

    @BeforeAll
    void startBoth() throws Exception {
        store = FakeDicomWebStore.start();
        Path edited = copyOfRepositoryRoutes();
        replaceOnce(edited.resolve("frames.camel.yaml"), WRITER_STEP, WRITER_STEP + SERVED_BY_STEP);
        replaceOnce(edited.resolve("frames.camel.yaml"), FALLBACK_CONDITION, NO_FALLBACK_CONDITION);

        editedPort = start(ProxyMain.application(edited));
        repositoryPort = start(ProxyMain.application(REPOSITORY_ROUTES));
    }

    @AfterAll
    void stopAll() throws Exception {
        for (Main main : started) {
            main.stop();
        }
        store.close();
        for (Path directory : temporary) {
            deleteTree(directory);
        }
    }

    @Test
    void anEditedRouteAddsAHeaderToEveryFramesAnswer() throws Exception {
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true,
                new Part(JPEG_PART, ascii("frame-1")), new Part(JPEG_PART, ascii("frame-2")))));

        HttpResponse<byte[]> edited = get(framesUrl(editedPort, "1,2"));
        assertEquals(200, edited.statusCode(), text(edited));
        assertEquals(Optional.of("edited-route"), edited.headers().firstValue("X-Served-By"));
        assertEquals(2, parts(edited).size());
        HttpResponse<byte[]> cached = get(framesUrl(editedPort, "1,2"));
        assertEquals(200, cached.statusCode(), text(cached));
        assertEquals(Optional.of("edited-route"), cached.headers().firstValue("X-Served-By"),
                "a cache hit too: with edited routes nothing is answered before them");

        HttpResponse<byte[]> repository = get(framesUrl(repositoryPort, "1,2"));
        assertEquals(200, repository.statusCode(), text(repository));
        assertEquals(Optional.empty(), repository.headers().firstValue("X-Served-By"),
                "the repository's routes add no such header: the edited copy made the difference");
    }

    @Test
    void anEditedRouteTurnsTheRenderedFallbackOff() throws Exception {
        // two frames asked, one answered: the raw answer is rejected
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true, new Part(JPEG_PART, ascii("only")))));
        store.answerRendered(Answer.of(200, "image/jpeg", RENDERED));

        int rendered = store.renderedCalls();
        HttpResponse<byte[]> edited = get(framesUrl(editedPort, "1,2"));
        assertEquals(502, edited.statusCode(), text(edited));
        assertEquals(rendered, store.renderedCalls(), "no rendered call once the YAML says no fallback");

        HttpResponse<byte[]> repository = get(framesUrl(repositoryPort, "1,2"));
        assertEquals(200, repository.statusCode(), "the repository's routes fall back: " + text(repository));
        List<BodyPart> parts = parts(repository);
        assertEquals(2, parts.size());
        for (BodyPart part : parts) {
            assertEquals(JPEG_PART, part.contentType());
            assertTrue(java.util.Arrays.equals(RENDERED, part.content()), "rendered frame served");
        }
        assertEquals(rendered + 2, store.renderedCalls());
    }

    @Test
    void withoutADirectoryTheJarsRoutesServe() throws Exception {
        Main main = ProxyMain.application(null);
        assertEquals("classpath:routes/*.camel.yaml", ProxyMain.routesIncludePattern(null));
        int port = start(main);
        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true, new Part(JPEG_PART, ascii("jar")))));
        HttpResponse<byte[]> response = get(framesUrl(port, "1"));
        assertEquals(200, response.statusCode(), text(response));
        assertEquals(Optional.empty(), response.headers().firstValue("X-Served-By"));
        assertEquals("jar", new String(parts(response).get(0).content(), StandardCharsets.US_ASCII));
    }

    @Test
    void aConfiguredDirectoryWithoutRoutesStopsTheStart() throws Exception {
        Path missing = Path.of("target", "no-such-routes-" + System.nanoTime()).toAbsolutePath();
        IllegalStateException noDirectory = assertThrows(IllegalStateException.class,
                () -> ProxyMain.application(missing));
        assertTrue(noDirectory.getMessage().contains(missing.toString())
                && noDirectory.getMessage().contains("does not exist"), noDirectory.getMessage());

        Path empty = Files.createTempDirectory("no-routes");
        temporary.add(empty);
        Files.writeString(empty.resolve("frames.yaml.bak"), "- route: {}\n");
        IllegalStateException noRoutes = assertThrows(IllegalStateException.class,
                () -> ProxyMain.application(empty));
        assertTrue(noRoutes.getMessage().contains("holds no *.camel.yaml"), noRoutes.getMessage());
    }

    @Test
    void liveReloadWatchesTheRoutesDirectoryAndPicksUpAnEdit() throws Exception {
        Path routes = copyOfRepositoryRoutes();
        Main main = ProxyMain.application(routes);
        main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
        // an attempt to watch somewhere else is overruled: reload follows the routes
        main.addInitialProperty("camel.main.routes-reload-directory", "src/main/resources/camel");
        int port = start(main);
        assertEquals(routes.toAbsolutePath().normalize().toString(), main.configure().getRoutesReloadDirectory());
        assertEquals("*.camel.yaml", main.configure().getRoutesReloadPattern());

        store.answerFrames(Answer.of(200, MULTIPART, multipart(BOUNDARY, true, new Part(JPEG_PART, ascii("live")))));
        HttpResponse<byte[]> before = get(framesUrl(port, "1"));
        assertEquals(200, before.statusCode(), text(before));
        assertEquals(Optional.empty(), before.headers().firstValue("X-Served-By"));

        replaceOnce(routes.resolve("frames.camel.yaml"), WRITER_STEP, WRITER_STEP + SERVED_BY_STEP);
        AtomicReference<Optional<String>> servedBy = new AtomicReference<>(Optional.empty());
        Await.until(Duration.ofSeconds(30), () -> {
            HttpResponse<byte[]> response = duringReload(framesUrl(port, "1"), STORED);
            if (response != null && response.statusCode() == 200) {
                servedBy.set(response.headers().firstValue("X-Served-By"));
            }
            return servedBy.get().isPresent();
        }, "the running proxy took the edit without a restart");
        assertEquals(Optional.of("edited-route"), servedBy.get(), "the running proxy took the edit without a restart");

        // all routes come back, in their order: the rendered endpoint is the proxy's again, not the pass-through's
        // (the reload restarts the routes in startup order just after the edited route serves, so allow it a moment;
        // a loaded machine once took over 10 s: the graceful stop of the routes waits for exchanges in flight)
        store.answerRendered(Answer.of(200, "image/jpeg", RENDERED));
        AtomicReference<HttpResponse<byte[]>> answered = new AtomicReference<>();
        Await.until(Duration.ofSeconds(30), () -> {
            answered.set(duringReload(framesUrl(port, "1") + "/rendered", "image/jpeg"));
            return answered.get() != null && answered.get().headers().firstValue("Cache-Control").isPresent();
        }, "the rendered route answers (with its Cache-Control) once the reload is over");
        HttpResponse<byte[]> rendered = answered.get();
        assertNotNull(rendered, "the rendered route answers once the reload is over");
        assertEquals(200, rendered.statusCode(), text(rendered));
        assertEquals(Optional.of("private, max-age=3600"), rendered.headers().firstValue("Cache-Control"),
                "answered by the rendered route (the store's own answer has no Cache-Control)");
    }

    @Test
    void liveReloadOfTheJarsRoutesStopsTheStart() {
        Main main = ProxyMain.application(null);
        main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
        addPorts(main, FreePorts.loopback());
        Exception refused = assertThrows(Exception.class, main::start);
        Throwable cause = refused;
        while (!(cause instanceof IllegalStateException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(String.valueOf(cause.getMessage()).contains("PROXY_ROUTES_DIR"), String.valueOf(cause));
        try {
            main.stop();
        } catch (Exception ignored) {
            // it never started
        }
    }

    private int start(Main main) throws Exception {
        int port = FreePorts.loopback();
        addPorts(main, port);
        main.start();
        started.add(main);
        return port;
    }

    private void addPorts(Main main, int port) {
        main.addOverrideProperty("proxy.upstream-url", store.dicomWebUrl());
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.host", "127.0.0.1");
        main.addOverrideProperty("camel.management.port", Integer.toString(FreePorts.loopback()));
    }

    private Path copyOfRepositoryRoutes() throws IOException {
        Path copy = Files.createTempDirectory("edited-routes");
        temporary.add(copy);
        int copied = 0;
        try (DirectoryStream<Path> routes = Files.newDirectoryStream(REPOSITORY_ROUTES, "*.camel.yaml")) {
            for (Path route : routes) {
                Files.copy(route, copy.resolve(route.getFileName().toString()));
                copied++;
            }
        }
        assertTrue(copied > 0, "routes/ holds the route files");
        return copy;
    }

    /** Edits a route file; the text to replace must be there exactly once, so a changed route fails loudly. */
    private static void replaceOnce(Path file, String text, String replacement) throws IOException {
        String yaml = Files.readString(file);
        int at = yaml.indexOf(text);
        assertTrue(at >= 0 && yaml.indexOf(text, at + 1) < 0, "expected exactly one of:\n" + text + "in " + file);
        Files.writeString(file, yaml.substring(0, at) + replacement + yaml.substring(at + text.length()));
    }

    private static String framesUrl(int port, String frames) {
        return "http://127.0.0.1:" + port + "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.77"
                + INSTANCE.getAndIncrement() + "/frames/" + frames;
    }

    /**
     * A request made while the routes reload: one that arrives as its route is being stopped may get no whole answer
     * (a development-only mode), so it is given 5 s and counts as "not yet".
     */
    /** The answer, or null while the proxy cannot answer (the routes are being reloaded). */
    private static HttpResponse<byte[]> duringReload(String url, String accept) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException notNow) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", STORED).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<BodyPart> parts(HttpResponse<byte[]> response) {
        String contentType = response.headers().firstValue("Content-Type").orElseThrow();
        List<BodyPart> parts = new ArrayList<>();
        new MultipartRelatedReader(1 << 20).parts(new ByteArrayInputStream(response.body()), contentType)
                .forEachRemaining(parts::add);
        return parts;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
