package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw sockets against the proxy's HTTP server: half-sent headers are cut at the header timeout even when trickled,
 * an idle keep-alive at the idle timeout, and a client that keeps using its connection is not disturbed.
 */
class InboundTimeoutsTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final long IDLE = 1500;
    private static final long HEADERS = 1000;
    private static final byte[] REQUEST = "GET /not-dicomweb HTTP/1.1\r\nHost: proxy\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE);
        p.setProperty("proxy.inbound-idle-timeout-ms", Long.toString(IDLE));
        p.setProperty("proxy.inbound-header-timeout-ms", Long.toString(HEADERS));
        return p;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", proxyPort);
        socket.setSoTimeout(10_000); // a connection the proxy never closes fails the test
        return socket;
    }

    /** Milliseconds from {@code since} until the proxy closed the connection (EOF or reset). */
    private static long closedAfter(Socket socket, long since) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a 408 or similar before the close is fine
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy kept the connection open for 10 s", e);
        } catch (IOException reset) {
            // closed with a reset
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** Reads one answer with a Content-Length body; returns its status line. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the answer's head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return text.substring(0, text.indexOf("\r\n"));
    }

    @Test
    void headersSentHalfwayAreCutAtTheHeaderTimeout() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write("GET /dicomweb/studies HTTP/1.1\r\nHost: pro".getBytes(StandardCharsets.US_ASCII));
            long millis = closedAfter(socket, start);
            System.out.printf("half-sent headers: closed after %d ms%n", millis);
            assertTrue(millis >= HEADERS - 100 && millis < HEADERS + 400, millis + " ms");
        }
    }

    @Test
    void headersTrickledByteByByteAreCutAtTheHeaderTimeoutThough() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("GET /dicomweb/studies HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            // one header byte every 200 ms: never idle, never done
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write('X');
                        out.flush();
                        Thread.sleep(200); // the slow client's pace
                    }
                } catch (IOException | InterruptedException closed) {
                    // the proxy closed the connection
                }
            });
            trickle.start();
            long millis = closedAfter(socket, start);
            trickle.interrupt();
            System.out.printf("trickled headers: closed after %d ms%n", millis);
            assertTrue(millis >= HEADERS - 100 && millis < HEADERS + 400, millis + " ms");
        }
    }

    @Test
    void anIdleKeepAliveIsClosedAtTheIdleTimeout() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(REQUEST);
            assertEquals("HTTP/1.1 404 Not Found", readAnswer(socket.getInputStream()));
            long idleSince = System.nanoTime();
            long millis = closedAfter(socket, idleSince);
            System.out.printf("idle keep-alive: closed after %d ms idle%n", millis);
            assertTrue(millis >= IDLE - 100 && millis < IDLE + 500, millis + " ms");
        }
    }

    @Test
    void aKeepAliveInUseOutlivesBothTimeouts() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            int answered = 0;
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2 * IDLE + HEADERS)) {
                socket.getOutputStream().write(REQUEST);
                assertEquals("HTTP/1.1 404 Not Found", readAnswer(socket.getInputStream()), "request " + answered);
                answered++;
                Thread.sleep(IDLE / 3); // the client's pace: well within the idle timeout
            }
            System.out.printf("keep-alive in use: %d requests over %d ms on one connection%n", answered,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertTrue(answered >= 5, answered + " requests");
        }
    }

    /**
     * RFC 9112 §3.2, §6.3: a head that two parties could read two ways is refused and its connection closed (Netty
     * itself reads Transfer-Encoding with Content-Length as chunked, as §6.1 allows, and drops the length).
     */
    @Test
    void requestsThatCanBeReadTwoWaysAre400AndClosed() throws Exception {
        String[] heads = {
            "GET /dicomweb/studies HTTP/1.1\r\nHost: proxy\r\nHost: other\r\n\r\n",
            "POST /dicomweb/studies HTTP/1.1\r\nHost: proxy\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n",
        };
        for (String head : heads) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), head + " -> " + answer);
                assertTrue(store.requests().isEmpty(), "nothing reached the store for " + head);
            }
        }
    }
}
