package org.framecache.proxy.deploy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.ProxyJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image recipe, run without an image: the files k8s/Containerfile copies are laid out the same way under a
 * temporary /app, and its CMD (with its ENV) starts the packaged jar, which must become ready and serve frames —
 * from the routes inside the jar, as the image runs, and from a routes directory mounted the way
 * k8s/components/routes-from-configmap mounts one (ManifestsTest checks that patch's path and variable).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedJarIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String STORED = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    @TempDir
    static Path temp;
    private final List<String> cmd = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Path app;

    @BeforeAll
    void layOutTheImage() throws IOException {
        STORE.running().answerFrames(Answer.of(200, "multipart/related; boundary=j", multipart("j", true,
                new Part("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", "from-the-jar".getBytes()))));
        app = temp.resolve("app");
        for (String line : Files.readAllLines(Path.of("k8s/Containerfile"))) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("COPY")) {
                copy(Path.of(words[1]), inApp(words[2]));
            } else if (words[0].equals("ENV")) {
                String[] kv = words[1].split("=", 2);
                env.put(kv[0], kv[1].replace("/app", app.toString()));
            } else if (words[0].equals("CMD")) {
                for (String part : line.substring(line.indexOf('[') + 1, line.lastIndexOf(']')).split(",")) {
                    cmd.add(part.strip().replace("\"", "").replace("/app", app.toString()));
                }
            }
        }
        assertTrue(cmd.size() >= 3 && cmd.get(0).equals("java"), "CMD runs java: " + cmd);
    }

    private Path inApp(String imagePath) {
        return imagePath.startsWith("/app") ? Path.of(app + imagePath.substring(4)) : app.resolve(imagePath);
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(file, target);
                    }
                }
            }
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        }
    }

    private void startAndServe(Map<String, String> environment, Path workdir, String expectedRoutes) throws Exception {
        try (ProxyJvm proxy = ProxyJvm.command(cmd, workdir).environment(environment).with(propertiesOf(STORE)).start()) {
            assertTrue(proxy.awaitReady(Duration.ofSeconds(60)), "ready on the management port:\n" + proxy.console());
            assertTrue(proxy.awaitLine(l -> l.contains("Routes from " + expectedRoutes), Duration.ofSeconds(5)),
                    "routes from " + expectedRoutes + ":\n" + proxy.console());
            assertTrue(proxy.awaitLine(l -> l.contains("In-process hits are answered before their routes"),
                    Duration.ofSeconds(5)), "the routes are the known ones, mounted or in the jar:\n" + proxy.console());
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> frame = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port()
                        + "/dicomweb/studies/1.2/series/1.2.3/instances/1.2.3.4/frames/1")).header("Accept", STORED).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, frame.statusCode(), new String(frame.body()));
                assertTrue(new String(frame.body()).contains("from-the-jar"));
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.managementPort()
                    + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("dicomweb_requests_in_process_total 1.0"),
                    "the repeat was answered before its route:\n" + metrics.lines()
                            .filter(l -> l.startsWith("dicomweb_requests")).toList());
        }
    }

    @Test
    void theImageCommandServesTheJarsOwnRoutes() throws Exception {
        assertFalse(Files.exists(app.resolve("routes")), "the image carries its routes in the jar only");
        // the image's working directory (WORKDIR /app) holds no ./routes: only the copy inside the jar can serve
        startAndServe(env, app, "classpath:routes/");
    }

    @Test
    void theImageCommandServesMountedRoutes() throws Exception {
        // as k8s/components/routes-from-configmap does: a volume holding the routes/ files, PROXY_ROUTES_DIR set to it
        // (outside the temporary /app, which stays as the image has it)
        Path mounted = temp.resolve("routes-volume");
        copy(Path.of("routes"), mounted);
        Map<String, String> withMount = new HashMap<>(env);
        withMount.put("PROXY_ROUTES_DIR", mounted.toString());
        startAndServe(withMount, app, "file:" + mounted);
    }
}
