package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.framecache.proxy.upstream.UpstreamCallCounter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy driven by the real JavaScript {@code dicomweb-client} (the library Slim and OHIF use) under Node.js,
 * against the real Orthanc: QIDO searches, metadata, frames as JPEG and in any stored syntax, and a rendered frame,
 * checked byte for byte against the generated slide; a second identical run is served from the cache.
 *
 * <p>The client is installed from {@code src/test/js/package.json} (exact versions) into {@code target/js-client}
 * once; later runs reuse it. Without {@code node}/{@code npm} (or when the install fails) the test fails when
 * {@code CI=true} and is skipped otherwise.
 */
class DicomwebClientTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] FRAMES = {1, 5, 3};
    private static final long NODE_TIMEOUT_SECONDS = 60;
    private static final long NPM_TIMEOUT_SECONDS = 300;

    private GeneratedInstance slide;
    private Path clientDir;
    private Path expectedFile;

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 4, 256, false);
        ORTHANC.upload(slide.part10());
    }

    /** Installs the client (in the test, not in @BeforeAll, so that a skip is reported with its reason). */
    private void prepareClient() throws Exception {
        clientDir = installClient();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("studyInstanceUID", slide.studyUid());
        expected.put("seriesInstanceUID", slide.seriesUid());
        expected.put("sopInstanceUID", slide.sopInstanceUid());
        expected.put("numberOfFrames", slide.numberOfFrames());
        Map<String, String> hashes = new LinkedHashMap<>();
        for (int frame = 1; frame <= slide.numberOfFrames(); frame++) {
            hashes.put(Integer.toString(frame), sha256(slide.frames().get(frame - 1)));
        }
        expected.put("frameSha256", hashes);
        expectedFile = clientDir.resolve("expected-" + slide.sopInstanceUid() + ".json");
        JSON.writeValue(expectedFile.toFile(), expected);
    }

    @Test
    void realClientSearchesRetrievesAndRendersThroughTheProxy() throws Exception {
        prepareClient();
        UpstreamCallCounter calls = upstreamCalls();
        long rawBefore = calls.getRawFrameCalls();

        JsonNode first = runClient();
        assertEquals("0.11.3", first.path("client").asText(), "dicomweb-client as pinned in package.json");
        assertEquals("0.2.1", first.path("xhr2").asText(), "xhr2 as pinned in package.json");

        assertEquals(1, first.path("studies").asInt(), "studies found by searchForStudies: " + first);
        assertEquals(1, first.path("instances").asInt(), "instances found by searchForInstances: " + first);
        assertEquals(slide.numberOfFrames(), first.path("numberOfFrames").asInt());
        assertEquals(16, slide.numberOfFrames());

        List<String> expectedHashes = new ArrayList<>();
        for (int frame : FRAMES) {
            expectedHashes.add(sha256(slide.frames().get(frame - 1)));
        }
        assertEquals(expectedHashes, texts(first.path("frames")), "image/jpeg frames 1, 5, 3 as stored");
        assertEquals("image/jpeg", first.path("framesContentType").asText());
        assertEquals(SlideGenerator.JPEG_BASELINE, first.path("framesTransferSyntaxUID").asText());
        assertEquals(expectedHashes, texts(first.path("octetFrames")), "transfer-syntax=* frames 1, 5, 3 as stored");
        assertEquals("image/jpeg", first.path("octetContentType").asText(),
                "a JPEG baseline frame asked in any syntax comes in its stored media type");
        assertEquals(SlideGenerator.JPEG_BASELINE, first.path("octetTransferSyntaxUID").asText());
        assertTrue(first.path("rendered").asText().startsWith("ffd8"), "rendered JPEG: " + first.path("rendered"));
        assertEquals("image/jpeg", first.path("renderedContentType").asText());

        // what the library (pinned in package.json) asks for; the proxy must understand exactly these
        JsonNode accept = first.path("accept");
        assertEquals("application/dicom+json", accept.path("searchForStudies").asText());
        assertEquals("application/dicom+json", accept.path("searchForInstances").asText());
        assertEquals("application/dicom+json", accept.path("retrieveInstanceMetadata").asText());
        assertEquals("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + SlideGenerator.JPEG_BASELINE,
                accept.path("retrieveInstanceFramesJpeg").asText());
        assertEquals("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*",
                accept.path("retrieveInstanceFramesAnySyntax").asText());
        assertEquals("image/jpeg", accept.path("retrieveInstanceFramesRendered").asText());

        long rawAfterFirst = calls.getRawFrameCalls();
        long renderedAfterFirst = calls.getRenderedCalls();
        assertTrue(rawAfterFirst > rawBefore, "the first run fetched frames from Orthanc");
        assertEquals(0, renderedAfterFirst, "the proxy rendered the frame from the stored one: Orthanc's /rendered not asked");

        // the same frame requests again, without the searches: the counter files pass-through QIDO calls
        // (/studies, /instances) under raw-frame calls, so they would move it although no frame is fetched
        JsonNode second = runClient("--frames-only");
        assertEquals(first.path("frames"), second.path("frames"));
        assertEquals(first.path("octetFrames"), second.path("octetFrames"));
        assertEquals(first.path("rendered"), second.path("rendered"));
        assertEquals(rawAfterFirst, calls.getRawFrameCalls(), "the second identical run asked Orthanc for no frame");
        assertEquals(renderedAfterFirst, calls.getRenderedCalls(), "the second rendered frame came from the cache");
    }

    /** Runs the check script once against the proxy; returns its JSON line, failing with its stderr otherwise. */
    private JsonNode runClient(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool("node").toString(), "dicomweb-client-check.mjs",
                "http://127.0.0.1:" + proxyPort + "/dicomweb", expectedFile.toString()));
        command.addAll(List.of(options));
        Path out = Files.createTempFile(clientDir, "node-", ".out");
        Path err = Files.createTempFile(clientDir, "node-", ".err");
        String stdout;
        String stderr;
        int exit;
        try {
            Process node = new ProcessBuilder(command)
                    .directory(clientDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished = node.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            stdout = Files.readString(out).strip();
            stderr = Files.readString(err).strip();
            if (!finished) {
                fail(String.join(" ", command) + " did not finish within " + NODE_TIMEOUT_SECONDS + " s; stderr:\n"
                        + stderr);
            }
            exit = node.exitValue();
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
        assertEquals(0, exit, String.join(" ", command) + " failed:\n" + stderr + "\nstdout: " + stdout);
        String[] lines = stdout.split("\n");
        System.out.println("dicomweb-client-check: " + lines[lines.length - 1]);
        return JSON.readTree(lines[lines.length - 1]);
    }

    /**
     * Copies package.json (and package-lock.json if present) and the script to target/js-client and installs the
     * pinned packages there, unless the same package.json was already installed.
     */
    private static Path installClient() throws IOException, InterruptedException {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path source = base.resolve("src/test/js");
        Path dir = base.resolve("target/js-client");
        Files.createDirectories(dir);
        Path node = tool("node");
        Path npm = tool("npm");

        byte[] packageJson = Files.readAllBytes(source.resolve("package.json"));
        Path installed = dir.resolve("package.json");
        boolean upToDate = Files.exists(dir.resolve("node_modules/dicomweb-client/package.json"))
                && Files.exists(dir.resolve("node_modules/xhr2/package.json"))
                && Files.exists(installed) && Arrays.equals(packageJson, Files.readAllBytes(installed));
        if (!upToDate) {
            Files.write(installed, packageJson);
            Path lock = source.resolve("package-lock.json");
            boolean locked = Files.exists(lock);
            if (locked) {
                Files.copy(lock, dir.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(dir.resolve("package-lock.json"));
            }
            List<String> command = new ArrayList<>(List.of(npm.toString(), locked ? "ci" : "install",
                    "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"));
            if (!locked) {
                command.add("--no-package-lock");
            }
            Path log = dir.resolve("npm-install.log");
            Process install = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = install.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!done) {
                install.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (!done || install.exitValue() != 0) {
                Files.deleteIfExists(installed); // retry the install next time
                unavailable(String.join(" ", command) + " in " + dir + (done ? " failed" : " timed out") + " (node "
                        + node + "):\n" + Files.readString(log));
            }
        }
        Files.copy(source.resolve("dicomweb-client-check.mjs"), dir.resolve("dicomweb-client-check.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    /** {@code name} on the PATH, or the test fails (CI=true) / is skipped (elsewhere). */
    private static Path tool(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        unavailable("'" + name + "' is not on the PATH: install Node.js and npm (Debian: apt-get install nodejs npm)"
                + " to run the dicomweb-client test");
        throw new AssertionError("unreachable");
    }

    private static void unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason);
        }
        Assumptions.abort(reason + " (skipped: CI is not true)");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
