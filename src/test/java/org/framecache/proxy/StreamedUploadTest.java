package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STOW-RS through the proxy to the real Orthanc: bodies are streamed (no 10 MiB limit), a body over the configured
 * limit is refused before the store is asked, and an upload that stalls is cut off with 408 while other requests
 * are served.
 */
class StreamedUploadTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final long IDLE = 1500;
    private static final long MAX = 32L << 20;
    private static final String BOUNDARY = "stow-stream-boundary";
    private static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(ORTHANC);
        p.setProperty("proxy.request-body-idle-ms", Long.toString(IDLE));
        p.setProperty("proxy.max-request-body-bytes", Long.toString(MAX));
        return p;
    }

    private String base() {
        return "http://127.0.0.1:" + proxyPort + "/dicomweb";
    }

    private static byte[] stowBody(byte[] part10) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(part10);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    @Test
    void anUploadOverTenMebibytesIsStreamedToOrthanc() throws Exception {
        // four 1024 x 1024 RGB frames, uncompressed: 12 MiB
        GeneratedInstance big = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 1024,
                1024, true);
        byte[] body = stowBody(big.part10());
        assertTrue(body.length > 10 << 20, body.length + " bytes");

        long start = System.nanoTime();
        HttpResponse<byte[]> stored = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/studies"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", STOW_TYPE)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        System.out.printf("STOW of %d bytes through the proxy: %d after %d ms%n", body.length, stored.statusCode(), millis);
        assertEquals(200, stored.statusCode(), new String(stored.body()));
        // what the store saw: Orthanc has the instance, whole
        HttpResponse<byte[]> found = ORTHANC.running().get("/dicom-web/studies/" + big.studyUid() + "/series/" + big.seriesUid()
                + "/instances?SOPInstanceUID=" + big.sopInstanceUid(), "application/dicom+json");
        assertEquals(200, found.statusCode());
        assertTrue(new String(found.body()).contains(big.sopInstanceUid()), new String(found.body()));
        HttpResponse<byte[]> frame = get(base() + "/studies/" + big.studyUid() + "/series/" + big.seriesUid()
                + "/instances/" + big.sopInstanceUid() + "/frames/4", "Accept", STORED);
        assertEquals(200, frame.statusCode());
        assertEquals(1024 * 1024 * 3, parts(frame).get(0).content().length, "the last frame arrived whole");
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeTheStoreIsAsked() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /dicomweb/studies HTTP/1.1\r\nHost: proxy\r\nContent-Type: " + STOW_TYPE
                    + "\r\nContent-Length: " + (MAX + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine(socket.getInputStream()));
        }
    }

    @Test
    void aStalledUploadIsCutOffWhileOtherRequestsAreServed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("POST /dicomweb/studies HTTP/1.1\r\nHost: proxy\r\nContent-Type: " + STOW_TYPE
                    + "\r\nContent-Length: 9900000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[256 * 1024]); // a quarter of a MiB, then nothing
            out.flush();

            long otherStart = System.nanoTime();
            HttpResponse<byte[]> search = get(base() + "/studies?StudyInstanceUID=1.2.3.4.5.6.7");
            long otherMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - otherStart);
            assertEquals(200, search.statusCode(), "a search while the upload stalls");

            String status = statusLine(socket.getInputStream());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("stalled upload: '%s' after %d ms; a search meanwhile: %d in %d ms%n", status, millis,
                    search.statusCode(), otherMillis);
            assertEquals("HTTP/1.1 408 Request Timeout", status);
            assertTrue(millis >= IDLE - 100 && millis < IDLE + 1500, millis + " ms");
            assertTrue(otherMillis < 1000, otherMillis + " ms");
        }
    }
}
