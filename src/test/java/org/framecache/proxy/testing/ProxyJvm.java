package org.framecache.proxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.framecache.proxy.ProxyMain;

/**
 * The proxy in a JVM of its own, started as production starts it: its settings in the environment, on free loopback
 * ports. Its console is kept in a file and in memory, and its lines can be awaited as they come (no polling of a log).
 */
public final class ProxyJvm implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Console console;

    private ProxyJvm(Process process, int port, int managementPort, Console console) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.console = console;
    }

    /** {@code java [jvmFlags] -cp (this class path) ProxyMain} with the repository's routes, listening on loopback. */
    public static Launch mainClass(List<String> jvmFlags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProxyMain.class.getName()));
        return new Launch(command, null)
                .with("proxy.routes-dir", Path.of("routes").toAbsolutePath().toString())
                .with("camel.server.host", "127.0.0.1")
                .with("camel.management.host", "127.0.0.1");
    }

    /** This command (the image's CMD, say) run in {@code directory}, with only the ports set. */
    public static Launch command(List<String> command, Path directory) {
        return new Launch(command, directory);
    }

    /** What to start: the command, and the environment it runs with. */
    public static final class Launch {
        private final List<String> command;
        private final Path directory;
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Launch(List<String> command, Path directory) {
            this.command = List.copyOf(command);
            this.directory = directory;
        }

        /** A setting, as the environment variable that sets it: proxy.upstream-url is PROXY_UPSTREAM_URL. */
        public Launch with(String key, String value) {
            environment.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value);
            return this;
        }

        /** Every property (a resource's, say) as {@link #with(String, String)}. */
        public Launch with(Properties properties) {
            properties.stringPropertyNames().forEach(key -> with(key, properties.getProperty(key)));
            return this;
        }

        /** Environment variables as they are. */
        public Launch environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Starts it on two free loopback ports (the server's and the management's). */
        public ProxyJvm start() throws IOException {
            int port = FreePorts.loopback();
            int managementPort = FreePorts.loopback();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            builder.environment().put("CAMEL_SERVER_PORT", Integer.toString(port));
            builder.environment().put("CAMEL_MANAGEMENT_PORT", Integer.toString(managementPort));
            Process process = builder.start();
            return new ProxyJvm(process, port, managementPort,
                    new Console(process, Files.createTempFile("proxy-jvm-" + port + "-", ".log")));
        }
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The first console line, past or to come, that matches; fails if the JVM exits first or after {@code within}. */
    public CompletableFuture<String> line(Predicate<String> matches, Duration within) {
        return console.first(matches).orTimeout(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a console line matches within {@code within} (false if the JVM exits before). */
    public boolean awaitLine(Predicate<String> matches, Duration within) {
        return line(matches, within).handle((line, failure) -> line != null).join();
    }

    /** Whether {@code /observe/health/ready} answers 200 within {@code within} (false if the JVM exits before). */
    public boolean awaitReady(Duration within) {
        Await.holdsWithin(within, () -> !process.isAlive() || ready());
        return process.isAlive() && ready();
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every console line read so far. */
    public String console() {
        return console.all();
    }

    /** The last console lines, and where the whole console is. */
    public String tail() {
        return console.tail();
    }

    /** SIGTERM, and SIGKILL if it has not exited within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The console of the process, copied to a file and kept in memory as it comes; awaited lines are completed. */
    private static final class Console {
        private final List<String> lines = new ArrayList<>();
        private final List<Watch> watches = new ArrayList<>();
        private final Path file;
        private boolean ended;

        private record Watch(Predicate<String> matches, CompletableFuture<String> line) {
        }

        Console(Process process, Path file) {
            this.file = file;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        out.println(line);
                        out.flush();
                        add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
                synchronized (this) {
                    ended = true;
                    watches.forEach(w -> w.line().completeExceptionally(exited()));
                    watches.clear();
                }
            }, "proxy-jvm-console");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void add(String line) {
            lines.add(line);
            watches.removeIf(w -> w.matches().test(line) && w.line().complete(line));
        }

        synchronized CompletableFuture<String> first(Predicate<String> matches) {
            CompletableFuture<String> line = new CompletableFuture<>();
            lines.stream().filter(matches).findFirst().ifPresentOrElse(line::complete, () -> {
                if (ended) {
                    line.completeExceptionally(exited());
                } else {
                    watches.add(new Watch(matches, line));
                }
            });
            return line;
        }

        private IllegalStateException exited() {
            return new IllegalStateException("the proxy exited:\n" + tail());
        }

        synchronized String all() {
            return String.join("\n", lines);
        }

        synchronized String tail() {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n(" + file + ")";
        }
    }
}
