package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.time.Duration;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.framecache.proxy.testing.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.framecache.proxy.testing.OrthancResource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that hang up in the middle of a large pass-through download must not keep the proxy's upstream
 * connections: with a pool of two, a few aborted downloads are followed by a request that still gets through.
 */
class AbortedDownloadTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(ORTHANC);
        p.setProperty("camel.component.http.connections-per-route", "2");
        p.setProperty("camel.component.http.max-total-connections", "2");
        p.setProperty("camel.component.http.connection-request-timeout", "2000");
        return p;
    }

    /** Upstream connections taken from the pools of every upstream endpoint and not yet given back. */
    private int leased() {
        return context.getEndpoints().stream().filter(HttpEndpoint.class::isInstance)
                .map(e -> ((HttpEndpoint) e).getClientConnectionManager())
                .filter(PoolingHttpClientConnectionManager.class::isInstance)
                .mapToInt(m -> ((PoolingHttpClientConnectionManager) m).getTotalStats().getLeased()).sum();
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 32, 32, 256, false);
        ORTHANC.upload(slide.part10());
    }

    @Test
    void abortedDownloadsGiveTheirUpstreamConnectionsBack() throws Exception {
        String path = "/dicomweb/studies/" + slide.studyUid() + "/series/" + slide.seriesUid() + "/instances/"
                + slide.sopInstanceUid();
        for (int i = 0; i < 4; i++) {
            try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
                socket.setReceiveBufferSize(4096);
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=*\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                byte[] start = new byte[2048];
                int read = in.read(start);
                assertTrue(read > 0 && new String(start, 0, read, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
                // hang up with megabytes still to come
            }
        }
        Await.until(Duration.ofSeconds(10), () -> leased() == 0, "the aborted downloads' upstream connections are given back");
        long begin = System.nanoTime();
        HttpResponse<byte[]> metadata = get("http://127.0.0.1:" + proxyPort + path + "/metadata");
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(200, metadata.statusCode(), new String(metadata.body()));
        assertTrue(millis < 1500, "an upstream connection was free at once: " + millis + " ms");
    }
}
