package org.framecache.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A DICOMweb store that answers what a test tells it to: the means to inject the faults real stores show now and
 * then (wrong part counts, empty or mislabelled parts, truncated bodies, errors).
 */
public final class FakeDicomWebStore implements AutoCloseable {

    /**
     * One canned answer; {@code truncate} sends the body without a length and cuts it at that many bytes, then
     * stalls {@code stallMillis} before closing.
     */
    public record Answer(int status, String contentType, byte[] body, int truncate, long stallMillis, boolean declareLength,
                         long trickleMillis) {
        public Answer(int status, String contentType, byte[] body, int truncate, long stallMillis) {
            this(status, contentType, body, truncate, stallMillis, false, 0);
        }

        /** Status, headers and Content-Length at once, then the body one byte every {@code everyMillis}. */
        public static Answer trickled(int status, String contentType, byte[] body, long everyMillis) {
            return new Answer(status, contentType, body, -1, 0, false, everyMillis);
        }

        public static Answer of(int status, String contentType, byte[] body) {
            return new Answer(status, contentType, body, -1, 0);
        }

        public static Answer truncated(int status, String contentType, byte[] body, int truncate) {
            return new Answer(status, contentType, body, truncate, 0);
        }

        /** Content-Length of the whole body, then only {@code truncate} bytes of it, and the connection closed. */
        public static Answer cutShort(int status, String contentType, byte[] body, int truncate) {
            return new Answer(status, contentType, body, truncate, 0, true, 0);
        }
    }

    /** A part of a canned multipart answer. */
    public record Part(String contentType, byte[] bytes) {
    }

    private final HttpServer server;
    private volatile Answer frames = Answer.of(500, "text/plain", "not set".getBytes());
    private volatile Answer rendered = Answer.of(500, "text/plain", "not set".getBytes());
    private volatile Answer metadata = Answer.of(200, "application/dicom+json",
            "[{\"00280008\":{\"vr\":\"IS\",\"Value\":[64]}}]".getBytes(StandardCharsets.US_ASCII));
    private final AtomicInteger frameCalls = new AtomicInteger();
    private final AtomicInteger renderedCalls = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;
    private volatile java.util.concurrent.CountDownLatch framesGate = new java.util.concurrent.CountDownLatch(0);
    private volatile java.util.concurrent.CountDownLatch metadataGate = new java.util.concurrent.CountDownLatch(0);
    private volatile boolean closed;
    private volatile java.util.function.Function<String, Answer> framesByPath;
    private volatile java.util.function.Function<String, Answer> metadataByPath;

    /** Starts one on a free loopback port. */
    public static FakeDicomWebStore start() {
        try {
            return new FakeDicomWebStore();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the fake store", e);
        }
    }

    private FakeDicomWebStore() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String dicomWebUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web";
    }

    public void answerFrames(Answer answer) {
        frames = answer;
        framesByPath = null;
    }

    /** Frames answers that depend on the request path (e.g. as many parts as frames asked for). */
    public void answerFrames(java.util.function.Function<String, Answer> byPath) {
        framesByPath = byPath;
    }

    public void answerRendered(Answer answer) {
        rendered = answer;
    }

    /** The instance metadata; by default a 64-frame instance. */
    public void answerMetadata(Answer answer) {
        metadata = answer;
        metadataByPath = null;
    }

    /** Metadata answers that depend on the request path (several instances). */
    public void answerMetadata(java.util.function.Function<String, Answer> byPath) {
        metadataByPath = byPath;
    }

    public int frameCalls() {
        return frameCalls.get();
    }

    /** Waits until the store has received {@code count} frames calls in all; false if not within the time. */
    public boolean awaitFrameCalls(int count, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (frameCalls) {
            while (frameCalls.get() < count) {
                long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                frameCalls.wait(left);
            }
            return true;
        }
    }

    /**
     * Frames answers wait until {@link #releaseFrames()} (a minute at most): a test lets requests pile up behind one
     * upstream call, so that they overlap for certain rather than by timing.
     */
    public void holdFrames() {
        framesGate = new java.util.concurrent.CountDownLatch(1);
    }

    public void releaseFrames() {
        framesGate.countDown();
    }

    /** As {@link #holdFrames()}, for metadata answers (the access decision). */
    public void holdMetadata() {
        metadataGate = new java.util.concurrent.CountDownLatch(1);
    }

    public void releaseMetadata() {
        metadataGate.countDown();
    }

    public int renderedCalls() {
        return renderedCalls.get();
    }

    /** Every frames and rendered answer is held back this long (a slow store). */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** "GET path | Accept" of every request received. */
    public List<String> requests() {
        return requests;
    }

    /** A multipart/related body with these parts; without the close delimiter when {@code close} is false. */
    public static byte[] multipart(String boundary, boolean close, Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part.bytes());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (close) {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path + " | " + exchange.getRequestHeaders().getFirst("Accept"));
        Answer answer;
        if (path.endsWith("/metadata")) {
            java.util.function.Function<String, Answer> byPath = metadataByPath;
            answer = byPath != null ? byPath.apply(path) : metadata;
            await(metadataGate);
        } else if (path.endsWith("/rendered")) {
            renderedCalls.incrementAndGet();
            answer = rendered;
            pause();
        } else {
            synchronized (frameCalls) {
                frameCalls.incrementAndGet();
                frameCalls.notifyAll();
            }
            java.util.function.Function<String, Answer> byPath = framesByPath;
            answer = byPath != null ? byPath.apply(path) : frames;
            await(framesGate);
            pause();
        }
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        if (answer.declareLength()) {
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            OutputStream body = exchange.getResponseBody();
            body.write(answer.body(), 0, Math.min(answer.truncate(), answer.body().length));
            body.flush();
            exchange.close(); // fewer bytes than declared: the server closes the connection
            return;
        }
        try (OutputStream body = exchange.getResponseBody()) {
            if (answer.truncate() >= 0) {
                exchange.sendResponseHeaders(answer.status(), 0);
                body.write(answer.body(), 0, Math.min(answer.truncate(), answer.body().length));
                body.flush();
                sleep(answer.stallMillis());
            } else if (answer.trickleMillis() > 0) {
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                for (int i = 0; i < answer.body().length && !closed; i++) {
                    body.write(answer.body()[i]);
                    body.flush(); // fails once the proxy has given up and closed the connection
                    sleep(answer.trickleMillis());
                }
            } else {
                exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
                body.write(answer.body());
            }
        }
    }

    private static void await(java.util.concurrent.CountDownLatch gate) {
        try {
            gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause() {
        sleep(delayMillis);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        framesGate.countDown();
        metadataGate.countDown();
        server.stop(0);
    }
}
