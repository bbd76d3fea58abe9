package org.framecache.proxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real redis-server on a free loopback port, without persistence, running as a child process. */
public final class RedisProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private static RedisProcess shared;

    private final Path binary;
    private final Path workDir;
    private final Path log;
    private final int port;
    private final List<String> extraArgs;
    private final String sentinelConfig;
    private Process process;

    private RedisProcess(Path binary, Path workDir, int port, List<String> extraArgs, String sentinelConfig) {
        this.binary = binary;
        this.workDir = workDir;
        this.log = workDir.resolve("redis.log");
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.sentinelConfig = sentinelConfig;
    }

    public static RedisProcess start() {
        return start(List.of());
    }

    /**
     * With more redis-server options, each option and value a separate argument (e.g. {@code --cluster-enabled},
     * {@code yes}; {@code --tls-port}, ...). The plain port stays on (loopback) and answers the readiness PING, even
     * if only with an error such as -NOAUTH.
     */
    public static RedisProcess start(List<String> extraArgs) {
        return start(FreePorts.loopback(), extraArgs, null);
    }

    /** A sentinel on a free port with these config lines (the port, bind and dir lines are added). */
    public static RedisProcess sentinel(String config) {
        return sentinelOn(FreePorts.loopback(), config);
    }

    /** A sentinel on the given port (one a client was told of before anything listened there). */
    public static RedisProcess sentinelOn(int port, String config) {
        return start(port, List.of("--sentinel"), config);
    }

    private static RedisProcess start(int port, List<String> extraArgs, String sentinelConfig) {
        Path binary = ChildProcesses.requireBinary("redis-server", "redis-server");
        try {
            RedisProcess redis = new RedisProcess(binary, Files.createTempDirectory("redis-test-"), port, extraArgs,
                    sentinelConfig);
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare redis-server", e);
        }
    }

    public Path workDir() {
        return workDir;
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** One redis-server for the whole JVM, started on first use and stopped at exit. */
    public static synchronized RedisProcess shared() {
        if (shared == null) {
            RedisProcess redis = start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "redis-shared-stop"));
            shared = redis;
        }
        return shared;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGTERM and wait for the exit. */
    public synchronized void stop() {
        if (process != null) {
            ChildProcesses.stop(process, 10);
            process = null;
        }
    }

    /** SIGKILL, to simulate a crash; returns once the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            ChildProcesses.kill(process);
            process = null;
        }
    }

    /** Starts again on the same port (empty, since nothing is persisted). Stops a running server first. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public synchronized void close() {
        stop();
        ChildProcesses.deleteRecursively(workDir);
    }

    /** Sends PING over a fresh connection and returns the raw reply line ("+PONG" when healthy). */
    public String ping() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private synchronized void launch() {
        // Separate argv entries, no shell: --save "" is an empty argument that disables RDB snapshots.
        List<String> command = new java.util.ArrayList<>();
        command.add(binary.toString());
        if (sentinelConfig != null) {
            Path config = workDir.resolve("sentinel.conf");
            try {
                Files.writeString(config, "port " + port + "\nbind 127.0.0.1\ndir " + workDir + "\n" + sentinelConfig
                        + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + config, e);
            }
            command.add(config.toString());
        }
        command.addAll(List.of(
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--daemonize", "no",
                "--dir", workDir.toString()));
        if (sentinelConfig == null) {
            command.addAll(List.of("--save", "", "--appendonly", "no"));
        }
        command.addAll(extraArgs);
        process = ChildProcesses.launch(command, log);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure("redis-server exited with code " + process.exitValue());
            }
            try {
                String reply = ping();
                if ("+PONG".equals(reply) || (!extraArgs.isEmpty() && reply != null && reply.startsWith("-"))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            ChildProcesses.sleep(25);
        }
        ChildProcesses.stop(process, 5);
        throw failure("redis-server did not answer PING within " + STARTUP_TIMEOUT.toSeconds() + " s");
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(message + " (port " + port + ", log " + log + "):\n"
                + ChildProcesses.tail(log, 40));
    }
}
