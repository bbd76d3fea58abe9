package org.framecache.proxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared plumbing for the server launchers: installing binaries, tracking children, reading logs. */
final class ChildProcesses {

    private static final List<String> SYSTEM_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** Children still running when the JVM exits are terminated so no stray server outlives the test run. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> stop(p, 5)), "child-process-reaper"));
    }

    private ChildProcesses() {
    }

    /**
     * The absolute path of {@code binary}; if it is missing and we are root on a Debian-like system, installs
     * {@code packages} with apt-get first (running {@code apt-get update} only if a plain install fails).
     */
    static synchronized Path requireBinary(String binary, String... packages) {
        Path found = findBinary(binary);
        if (found != null) {
            return found;
        }
        if (!isRoot() || findBinary("apt-get") == null) {
            throw new IllegalStateException(binary + " is not installed and cannot be installed here (need root and"
                    + " apt-get): install the Debian packages " + String.join(" ", packages));
        }
        if (apt("install", packages) != 0) {
            apt("update");
            if (apt("install", packages) != 0) {
                throw new IllegalStateException("apt-get install " + String.join(" ", packages) + " failed");
            }
        }
        found = findBinary(binary);
        if (found == null) {
            throw new IllegalStateException(binary + " still not found after installing " + String.join(" ", packages));
        }
        return found;
    }

    static Process launch(List<String> command, Path log) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LIVE.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** SIGTERM, wait up to {@code graceSeconds} for the exit, then SIGKILL and wait again. */
    static void stop(Process process, int graceSeconds) {
        process.destroy();
        awaitExit(process, graceSeconds);
    }

    /** SIGKILL, and wait until the process is really gone. */
    static void kill(Process process) {
        process.destroyForcibly();
        awaitExit(process, 0);
    }

    private static void awaitExit(Process process, int graceSeconds) {
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
            }
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp directory does not affect any test.
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path findBinary(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SYSTEM_DIRS); // Orthanc lives in /usr/sbin, which a non-login PATH may lack
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int apt(String verb, String... packages) {
        List<String> command = new ArrayList<>(List.of("apt-get", verb, "-y", "-o", "DPkg::Lock::Timeout=300"));
        command.addAll(List.of(packages));
        try {
            Path log = Files.createTempFile("apt-get-" + verb, ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return -1;
            }
            System.err.println(command + " exited " + process.exitValue() + ", log " + log);
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
