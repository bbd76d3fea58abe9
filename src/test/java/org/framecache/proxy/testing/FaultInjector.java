package org.framecache.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real store with faults: forwards every request to a DICOMweb server (Orthanc) and back, except the next raw
 * frames request after {@link #inject}, which gets the fault instead (once). Records what it forwarded and what it
 * spoiled, so a test asserts what the store saw as well as what the client saw.
 */
public final class FaultInjector implements AutoCloseable {

    /** What happens to the next raw frames answer. */
    public enum Fault {
        /** Content-Length of the whole answer, the connection closed inside the first part. */
        CUT_INSIDE_FIRST_PART_WITH_LENGTH,
        /** No length (chunked), the body ends inside the first part. */
        CUT_INSIDE_FIRST_PART_CHUNKED,
        /** One part fewer than frames asked for (the store answers for the list without its last frame). */
        WRONG_PART_COUNT,
        /** Every part labelled text/html. */
        WRONG_PART_TYPE,
        /** Every part's bytes removed. */
        EMPTY_PARTS,
        /** A multipart/related content type over bytes that are no multipart body. */
        GARBAGE,
        /** 500 with a JSON reason, as Orthanc gives one. */
        STATUS_500,
        /** 503, as a store behind a load balancer gives. */
        STATUS_503
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<Fault> next = new AtomicReference<>();
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final List<String> spoiled = new CopyOnWriteArrayList<>();

    /** In front of {@code targetBaseUrl} (e.g. Orthanc's http://127.0.0.1:port), on a free loopback port. */
    public static FaultInjector inFrontOf(String targetBaseUrl) {
        try {
            return new FaultInjector(targetBaseUrl);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the fault injector", e);
        }
    }

    private FaultInjector(String targetBaseUrl) throws IOException {
        this.target = targetBaseUrl;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The injector's base URL: the target's paths, on the injector's port. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next raw frames request gets this fault, once. */
    public void inject(Fault fault) {
        next.set(fault);
    }

    /** "METHOD path?query" of every request passed on to the target. */
    public List<String> forwarded() {
        return forwarded;
    }

    /** "FAULT path" of every request answered with a fault. */
    public List<String> spoiled() {
        return spoiled;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            boolean rawFrames = path.contains("/frames/") && !path.endsWith("/rendered");
            Fault fault = rawFrames ? next.getAndSet(null) : null;
            if (fault == Fault.STATUS_500 || fault == Fault.STATUS_503) {
                spoiled.add(fault + " " + path);
                byte[] body = "{\"Message\":\"injected fault\"}".getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(fault == Fault.STATUS_500 ? 500 : 503, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (fault == Fault.WRONG_PART_COUNT) {
                path = withoutLastFrame(path);
            }
            HttpResponse<byte[]> answer = forward(exchange, path, query);
            byte[] body = answer.body();
            String contentType = answer.headers().firstValue("Content-Type").orElse("application/octet-stream");
            if (fault != null) {
                spoiled.add(fault + " " + exchange.getRequestURI().getRawPath());
                body = spoil(fault, body);
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (fault == Fault.CUT_INSIDE_FIRST_PART_WITH_LENGTH) {
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                OutputStream out = exchange.getResponseBody();
                out.write(body);
                out.flush();
                return; // fewer bytes than declared: closing the exchange closes the connection
            }
            boolean chunked = fault == Fault.CUT_INSIDE_FIRST_PART_CHUNKED;
            exchange.sendResponseHeaders(answer.statusCode(), chunked ? 0 : body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String path, String query) throws IOException {
        forwarded.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30));
        for (String name : List.of("Accept", "Authorization", "Content-Type")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String withoutLastFrame(String path) {
        int frames = path.indexOf("/frames/") + "/frames/".length();
        String list = path.substring(frames);
        int comma = list.lastIndexOf(',');
        return comma < 0 ? path : path.substring(0, frames) + list.substring(0, comma);
    }

    /** The answer's bytes, spoiled; the text of part heads is ASCII, so a Latin-1 round trip keeps every byte. */
    private static byte[] spoil(Fault fault, byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int firstBody = text.indexOf("\r\n\r\n") + 4;
        return switch (fault) {
            case CUT_INSIDE_FIRST_PART_WITH_LENGTH, CUT_INSIDE_FIRST_PART_CHUNKED ->
                    java.util.Arrays.copyOf(body, Math.min(body.length, firstBody + 20));
            case WRONG_PART_TYPE -> text.replaceAll("(?im)^Content-Type: [^\r\n]*", "Content-Type: text/html")
                    .getBytes(StandardCharsets.ISO_8859_1);
            case EMPTY_PARTS -> text.replaceAll("(?s)(Content-Length: )\\d+(\r\n(?:[^\r\n]+\r\n)*\r\n).*?(\r\n--)", "$10$2$3")
                    .getBytes(StandardCharsets.ISO_8859_1);
            case GARBAGE -> "<html>not a multipart body</html>".getBytes(StandardCharsets.US_ASCII);
            default -> body;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
