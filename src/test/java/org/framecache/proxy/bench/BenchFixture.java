package org.framecache.proxy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.FreePorts;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancProcess;
import org.framecache.proxy.testing.SlideGenerator;

/**
 * The upstream side of the benchmark ({@code bench/run}): a local Orthanc loaded with one generated slide, a
 * 1024-frame (32x32 tiles) and a 64-frame (8x8 tiles) 256x256 JPEG baseline level. Writes what the benchmark
 * needs as a shell-sourceable env file and as JSON, then stays up until it is told to stop, and stops Orthanc.
 *
 * <pre>
 * java -cp ... org.framecache.proxy.bench.BenchFixture --env-file F [--json-file F] [--stop-file F]
 *      [--watch-stdin] [--spare-ports N] [--max-seconds S]
 * </pre>
 *
 * Stops on SIGTERM/SIGINT, when the stop file appears, when stdin reaches end of file (with
 * {@code --watch-stdin}), or after {@code --max-seconds} (default 3 hours), whichever comes first. The env file
 * is written last, atomically, once Orthanc has answered a frame of each level: its existence means "ready".
 * {@code --spare-ports N} adds N loopback ports that were free a moment ago (BENCH_PORT_1..N) for the
 * script's other servers.
 */
public final class BenchFixture {

    private static final String STORED_BYTES =
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    private BenchFixture() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            log("failed: " + t);
            t.printStackTrace();
            System.exit(1); // the shutdown hook stops Orthanc if it was started
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path envFile = Path.of(require(options, "--env-file"));
        Path jsonFile = options.containsKey("--json-file") ? Path.of(options.get("--json-file")) : null;
        Path stopFile = options.containsKey("--stop-file") ? Path.of(options.get("--stop-file")) : null;
        boolean watchStdin = options.containsKey("--watch-stdin");
        int sparePorts = Integer.parseInt(options.getOrDefault("--spare-ports", "0"));
        long maxSeconds = Long.parseLong(options.getOrDefault("--max-seconds", "10800"));

        CountDownLatch stop = new CountDownLatch(1);
        long started = System.nanoTime();
        log("starting Orthanc");
        OrthancProcess orthanc = OrthancProcess.start(Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            log("stopping Orthanc");
            orthanc.close();
        }, "bench-fixture-stop"));

        String study = SlideGenerator.newUid();
        String series = SlideGenerator.newUid();
        log("generating the 1024-frame level");
        GeneratedInstance large = SlideGenerator.jpegWsi(study, series, 32, 32, 256, true);
        log("generating the 64-frame level");
        GeneratedInstance small = SlideGenerator.jpegWsi(study, series, 8, 8, 256, true);
        orthanc.upload(large.part10());
        orthanc.upload(small.part10());
        log(String.format("uploaded %s (%.1f MB) and %s (%.1f MB)", large, large.part10().length / 1e6, small,
                small.part10().length / 1e6));

        checkFrame(orthanc, study, series, large, large.numberOfFrames());
        checkFrame(orthanc, study, series, small, 1);

        Map<String, String> values = new LinkedHashMap<>();
        values.put("ORTHANC_URL", orthanc.baseUrl());
        values.put("ORTHANC_PORT", Integer.toString(orthanc.port()));
        values.put("ORTHANC_DICOMWEB_URL", orthanc.dicomWebUrl());
        values.put("STUDY_UID", study);
        values.put("SERIES_UID", series);
        values.put("LARGE_SOP_UID", large.sopInstanceUid());
        values.put("LARGE_FRAMES", Integer.toString(large.numberOfFrames()));
        values.put("LARGE_BYTES", Integer.toString(large.part10().length));
        values.put("SMALL_SOP_UID", small.sopInstanceUid());
        values.put("SMALL_FRAMES", Integer.toString(small.numberOfFrames()));
        values.put("SMALL_BYTES", Integer.toString(small.part10().length));
        values.put("FIXTURE_PID", Long.toString(ProcessHandle.current().pid()));
        for (int i = 1; i <= sparePorts; i++) {
            values.put("BENCH_PORT_" + i, Integer.toString(FreePorts.loopback()));
        }
        if (jsonFile != null) {
            writeAtomically(jsonFile, json(values));
        }
        writeAtomically(envFile, env(values));
        log(String.format("ready after %.1f s; wrote %s", (System.nanoTime() - started) / 1e9, envFile));

        if (watchStdin) {
            Thread reader = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buffer = new byte[1024];
                    while (in.read(buffer) >= 0) {
                        // discard; only end of file matters
                    }
                } catch (IOException e) {
                    // a broken stdin counts as closed
                }
                log("stdin closed");
                stop.countDown();
            }, "bench-fixture-stdin");
            reader.setDaemon(true);
            reader.start();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (!stop.await(200, TimeUnit.MILLISECONDS)) {
            if (stopFile != null && Files.exists(stopFile)) {
                log("stop file " + stopFile + " found");
                break;
            }
            if (System.nanoTime() > deadline) {
                log("--max-seconds " + maxSeconds + " reached");
                break;
            }
        }
        // System.exit runs the shutdown hook, which stops Orthanc and deletes its storage.
        System.exit(0);
    }

    /** Fails fast if Orthanc does not serve the stored bytes of a frame of this instance. */
    private static void checkFrame(OrthancProcess orthanc, String study, String series, GeneratedInstance instance,
                                   int frame) {
        String path = "/dicom-web/studies/" + study + "/series/" + series + "/instances/" + instance.sopInstanceUid()
                + "/frames/" + frame;
        HttpResponse<byte[]> response = orthanc.get(path, STORED_BYTES);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Orthanc answered " + response.statusCode() + " for " + path + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        int expected = instance.frames().get(frame - 1).length;
        if (response.body().length < expected) {
            throw new IllegalStateException("Orthanc's answer for " + path + " has " + response.body().length
                    + " bytes, less than the " + expected + "-byte frame");
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--watch-stdin")) {
                options.put(arg, "true");
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                options.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument: " + arg
                        + " (usage: --env-file F [--json-file F] [--stop-file F] [--watch-stdin]"
                        + " [--spare-ports N] [--max-seconds S])");
            }
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String env(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        // every value is a URL, a UID or a number: no quoting needed beyond single quotes
        values.forEach((k, v) -> out.append(k).append("='").append(v).append("'\n"));
        return out.toString();
    }

    private static String json(Map<String, String> values) {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.append("  \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"')
                    .append(++i < values.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    private static void writeAtomically(Path target, String content) {
        try {
            Path absolute = target.toAbsolutePath();
            Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void log(String message) {
        System.out.println("[bench-fixture] " + message);
        System.out.flush();
    }
}
