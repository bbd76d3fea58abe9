package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy as a viewer's only DICOMweb URL: searches, metadata, whole-instance retrieval and STOW go to the real
 * Orthanc and back unchanged; HEAD works wherever GET does; browsers get CORS preflight and headers.
 */
class PassThroughAndCorsTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 2, 256, false);
        ORTHANC.upload(slide.part10());
    }

    private String base() {
        return "http://127.0.0.1:" + proxyPort + "/dicomweb";
    }

    private String instancePath() {
        return "/studies/" + slide.studyUid() + "/series/" + slide.seriesUid() + "/instances/" + slide.sopInstanceUid();
    }

    private HttpResponse<byte[]> send(String method, String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void searchesAndMetadataPassThrough() throws Exception {
        HttpResponse<byte[]> search = get(base() + "/studies?StudyInstanceUID=" + slide.studyUid(), "Accept", "application/dicom+json");
        assertEquals(200, search.statusCode(), new String(search.body()));
        assertTrue(search.headers().firstValue("Content-Type").orElse("").startsWith("application/dicom+json"));
        assertTrue(new String(search.body()).contains(slide.studyUid()));

        HttpResponse<byte[]> metadata = get(base() + instancePath() + "/metadata", "Accept", "application/dicom+json");
        assertEquals(200, metadata.statusCode());
        assertTrue(new String(metadata.body()).contains("\"00280008\""));

        HttpResponse<byte[]> missing = get(base() + "/studies/1.2.3.4.5.6/metadata");
        assertEquals(404, missing.statusCode(), "the store's status passes through");
    }

    @Test
    void wholeInstanceRetrievalStreamsThePart10File() throws Exception {
        HttpResponse<byte[]> response = get(base() + instancePath(),
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("multipart/related"));
        byte[] part = parts(response).get(0).content();
        assertEquals(slide.part10().length, part.length);
        assertEquals("DICM", new String(part, 128, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void stowStoresThroughTheProxy() throws Exception {
        GeneratedInstance stowed = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 16, 16, true);
        String boundary = "stow-boundary-42";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(stowed.part10());
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> stored = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, stored.statusCode(), new String(stored.body()));
        HttpResponse<byte[]> found = get(base() + "/studies?StudyInstanceUID=" + stowed.studyUid());
        assertTrue(new String(found.body()).contains(stowed.studyUid()), "the stowed study is found");
    }

    @Test
    void headWorksWhereverGetDoes() throws Exception {
        HttpResponse<byte[]> frames = send("HEAD", base() + instancePath() + "/frames/1", "Accept", STORED);
        assertEquals(200, frames.statusCode());
        assertEquals(0, frames.body().length);
        assertTrue(frames.headers().firstValue("Content-Type").orElse("").startsWith("multipart/related"));

        HttpResponse<byte[]> rendered = send("HEAD", base() + instancePath() + "/frames/1/rendered");
        assertEquals(200, rendered.statusCode());
        assertEquals("image/jpeg", rendered.headers().firstValue("Content-Type").orElse(null));

        HttpResponse<byte[]> metadata = send("HEAD", base() + instancePath() + "/metadata");
        assertEquals(200, metadata.statusCode(), "HEAD is asked as GET: Orthanc itself answers HEAD with 404");
        assertEquals(0, metadata.body().length);
    }

    @Test
    void headLeavesTheConnectionCleanForTheNextRequest() throws Exception {
        // a HEAD answer with stray body bytes would corrupt the next answer on the same keep-alive connection
        String target = "/dicomweb" + instancePath() + "/frames/1";
        try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
            socket.setSoTimeout(10_000);
            String request = "HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + STORED + "\r\n\r\n"
                    + "GET " + target + "/rendered HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int headEnd = answers.indexOf("\r\n\r\n");
            assertTrue(answers.startsWith("HTTP/1.1 200"), answers.substring(0, Math.min(200, answers.length())));
            String head = answers.substring(0, headEnd).toLowerCase();
            assertTrue(head.contains("content-length: ") && !head.contains("content-length: 0"), head);
            assertTrue(!head.contains("transfer-encoding"), "Content-Length and chunked never together: " + head);
            assertTrue(answers.startsWith("HTTP/1.1 200", headEnd + 4), "the next answer follows the HEAD headers at once: "
                    + answers.substring(headEnd, Math.min(answers.length(), headEnd + 40)));
        }
    }

    @Test
    void corsPreflightIsAnsweredByTheProxy() throws Exception {
        HttpResponse<byte[]> preflight = send("OPTIONS", base() + instancePath() + "/frames/1",
                "Origin", "https://viewer.example.org",
                "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization, accept");
        assertTrue(preflight.statusCode() == 200 || preflight.statusCode() == 204, "status " + preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("86400", preflight.headers().firstValue("Access-Control-Max-Age").orElse(null));
        String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase();
        assertTrue(allowed.contains("authorization"), allowed);

        HttpResponse<byte[]> actual = get(base() + instancePath() + "/frames/2", "Accept", STORED, "Origin", "https://viewer.example.org");
        assertEquals(200, actual.statusCode());
        assertEquals("*", actual.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<byte[]> error = get(base() + instancePath() + "/frames/0", "Origin", "https://viewer.example.org");
        assertEquals(400, error.statusCode());
        assertEquals("*", error.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "errors carry CORS too");
    }
}
