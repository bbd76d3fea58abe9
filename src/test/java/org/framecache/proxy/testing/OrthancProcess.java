package org.framecache.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Orthanc server with the DICOMweb plugin, running as a child process on a free loopback port with its
 * own temporary storage.
 */
public final class OrthancProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DICOMWEB_PLUGIN = "libOrthancDicomWeb.so";

    private static OrthancProcess shared;

    private final Path binary;
    private final Path workDir;
    private final Path configFile;
    private final Path log;
    private final int port;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Orthanc's HTTP server speaks HTTP/1.1 only
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Process process;

    private OrthancProcess(Path binary, Path workDir, int port, Map<String, String> users) {
        this.binary = binary;
        this.workDir = workDir;
        this.configFile = workDir.resolve("orthanc.json");
        this.log = workDir.resolve("orthanc.log");
        this.port = port;
        this.authorization = users.entrySet().stream()
                .findFirst()
                .map(u -> "Basic " + Base64.getEncoder().encodeToString(
                        (u.getKey() + ":" + u.getValue()).getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
    }

    /**
     * Starts a new Orthanc. With an empty {@code registeredUsers} authentication is disabled; otherwise HTTP
     * basic authentication is required and this object authenticates as the first user (iteration order).
     */
    public static OrthancProcess start(Map<String, String> registeredUsers) {
        Path binary = ChildProcesses.requireBinary("Orthanc", "orthanc", "orthanc-dicomweb");
        Path plugin = findDicomWebPlugin();
        try {
            Path workDir = Files.createTempDirectory("orthanc-test-");
            OrthancProcess orthanc = new OrthancProcess(binary, workDir, FreePorts.loopback(), registeredUsers);
            orthanc.writeConfig(plugin, registeredUsers);
            orthanc.launch();
            return orthanc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Orthanc", e);
        }
    }

    /** One Orthanc without authentication for the whole JVM, started on first use and stopped at exit. */
    public static synchronized OrthancProcess shared() {
        if (shared == null) {
            OrthancProcess orthanc = start(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(orthanc::close, "orthanc-shared-stop"));
            shared = orthanc;
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String dicomWebUrl() {
        return baseUrl() + "/dicom-web";
    }

    public int port() {
        return port;
    }

    /** Stores a Part 10 file with {@code POST /instances}; returns Orthanc's instance ID. */
    public String upload(byte[] part10) {
        HttpRequest request = request("/instances")
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(part10))
                .build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("upload failed: HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            String status = answer.path("Status").asText();
            if (!status.equals("Success") && !status.equals("AlreadyStored")) {
                throw new IllegalStateException("upload not stored: " + answer);
            }
            return answer.path("ID").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected upload answer", e);
        }
    }

    /**
     * The stored bytes of frame {@code frame} (1-based, as in DICOM and WADO-RS) of an instance, via Orthanc's
     * own REST API. That API numbers frames from 0, hence the shift.
     */
    public byte[] rawFrame(String orthancInstanceId, int frame) {
        if (frame < 1) {
            throw new IllegalArgumentException("frames are numbered from 1: " + frame);
        }
        HttpResponse<byte[]> response = get("/instances/" + orthancInstanceId + "/frames/" + (frame - 1) + "/raw", null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("raw frame " + frame + " of " + orthancInstanceId + ": HTTP "
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /**
     * GET on this Orthanc (path relative to {@link #baseUrl()}, or an absolute URL), with the registered
     * user's credentials if authentication is on and an optional Accept header.
     */
    public HttpResponse<byte[]> get(String pathOrUrl, String accept) {
        HttpRequest.Builder builder = request(pathOrUrl).GET();
        if (accept != null) {
            builder.header("Accept", accept);
        }
        return send(builder.build());
    }

    /** SIGTERM, then wait for the process to be gone: Orthanc releases its SQLite lock only on exit. */
    public synchronized void stop() {
        if (process != null) {
            ChildProcesses.stop(process, 10);
            process = null;
        }
    }

    /** SIGSTOP: the process holds its port and connections but answers nothing (a hung store). */
    public synchronized void suspend() {
        signal("STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops and starts again on the same port with the same storage. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the server and deletes its storage and log. */
    @Override
    public synchronized void close() {
        stop();
        ChildProcesses.deleteRecursively(workDir);
    }

    private void writeConfig(Path plugin, Map<String, String> users) throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.put("Name", "framecache-test");
        config.put("StorageDirectory", workDir.resolve("storage").toString());
        config.put("IndexDirectory", workDir.resolve("index").toString());
        config.put("HttpPort", port);
        config.put("RemoteAccessAllowed", false);
        config.put("DicomServerEnabled", false);
        config.put("HttpCompressionEnabled", false);
        config.put("OverwriteInstances", true);
        config.put("AuthenticationEnabled", !users.isEmpty());
        config.set("RegisteredUsers", JSON.valueToTree(new LinkedHashMap<>(users)));
        config.set("Plugins", JSON.valueToTree(List.of(plugin.toString())));
        ObjectNode dicomWeb = config.putObject("DicomWeb");
        dicomWeb.put("Enable", true);
        dicomWeb.put("Root", "/dicom-web/");
        dicomWeb.put("StudiesMetadata", "Full");
        dicomWeb.put("SeriesMetadata", "Full");
        JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
    }

    private synchronized void launch() {
        process = ChildProcesses.launch(List.of(binary.toString(), configFile.toString()), log);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure("Orthanc exited with code " + process.exitValue());
            }
            try {
                int status = http.send(request("/system").GET().timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                // 401 also means "up": with authentication on, /system needs credentials as well.
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for Orthanc");
            }
            ChildProcesses.sleep(50);
        }
        ChildProcesses.stop(process, 5);
        throw failure("Orthanc did not answer GET /system within " + STARTUP_TIMEOUT.toSeconds() + " s");
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(message + " (port " + port + ", log " + log + "):\n"
                + ChildProcesses.tail(log, 40));
    }

    private HttpRequest.Builder request(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl() + pathOrUrl;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /**
     * Sends once more after an I/O error: Orthanc closes idle keep-alive connections after about a second,
     * and a request can race that close on a pooled connection. Every request sent here is idempotent.
     */
    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException first) {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    private static Path findDicomWebPlugin() {
        Path plugin = Path.of("/usr/share/orthanc/plugins", DICOMWEB_PLUGIN);
        if (Files.exists(plugin)) {
            return plugin;
        }
        // Not in the usual place: ask dpkg where the package put its shared library.
        try {
            Process dpkg = new ProcessBuilder("dpkg", "-L", "orthanc-dicomweb").redirectErrorStream(true).start();
            String listing = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dpkg.waitFor();
            return listing.lines()
                    .filter(line -> line.contains("libOrthancDicomWeb.so"))
                    .map(Path::of)
                    .filter(Files::exists)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("DICOMweb plugin not found; dpkg -L says:\n" + listing));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot locate the Orthanc DICOMweb plugin", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
