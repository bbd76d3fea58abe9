package org.framecache.proxy.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder store's answers, its endpoint called as the routes call it, without a route or an HTTP server. */
class DicomFolderComponentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STUDY = SlideGenerator.newUid();
    private static final String SERIES = SlideGenerator.newUid();

    @TempDir
    static Path folder;
    private static GeneratedInstance slide;
    private static GeneratedInstance implicit;
    private static DicomFolderComponent store;
    private static CamelContext context;

    @BeforeAll
    static void index() throws Exception {
        slide = SlideGenerator.jpegWsi(STUDY, SERIES, 2, 2, 32, true);
        implicit = SlideGenerator.nativeInstance(STUDY, SERIES, 2, 4, 6, false);
        Files.write(folder.resolve("slide.dcm"), slide.part10());
        Files.write(folder.resolve("implicit.dcm"), implicit.part10());
        store = new DicomFolderComponent(DicomFolder.index(folder));
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterAll
    static void stop() {
        context.stop();
    }

    private static Exchange call(String method, String path, String accept) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
        int q = path.indexOf('?');
        exchange.getIn().setHeader(Exchange.HTTP_PATH, q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            exchange.getIn().setHeader(Exchange.HTTP_QUERY, path.substring(q + 1));
        }
        if (accept != null) {
            exchange.getIn().setHeader("Accept", accept);
        }
        store.answer(exchange);
        return exchange;
    }

    private static Exchange get(String path) throws Exception {
        return call("GET", path, null);
    }

    private static int status(Exchange answer) {
        return (Integer) answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
    }

    private static String text(Exchange answer) {
        return (String) answer.getMessage().getBody();
    }

    private static JsonNode json(Exchange answer) throws Exception {
        assertEquals(200, status(answer), () -> String.valueOf(answer.getMessage().getBody()));
        assertEquals("application/dicom+json", answer.getMessage().getHeader(Exchange.CONTENT_TYPE));
        return JSON.readTree(((ByteBuffer) answer.getMessage().getBody()).array());
    }

    private static String instancePath(GeneratedInstance i) {
        return "/studies/" + i.studyUid() + "/series/" + i.seriesUid() + "/instances/" + i.sopInstanceUid();
    }

    /** Was a 500 (the decoder's IllegalArgumentException escaped the store): the client's malformed escape is a 400. */
    @Test
    void aMalformedEscapeInASearchIsABadRequest() throws Exception {
        Exchange answer = get("/studies?PatientID=%zz");
        assertEquals(400, status(answer));
        assertEquals("malformed query string\n", text(answer));
        assertEquals(400, status(get("/instances?%4=1")));
    }

    @Test
    void searchesNameAttributesByKeywordOrTag() throws Exception {
        String uid = implicit.sopInstanceUid();
        JsonNode byKeyword = json(get("/instances?SOPInstanceUID=" + uid));
        assertEquals(1, byKeyword.size());
        assertEquals(uid, byKeyword.get(0).path("00080018").path("Value").path(0).asText());
        assertEquals(byKeyword, json(get("/instances?00080018=" + uid)));
        assertEquals(byKeyword, json(get("/instances?00080018=1.2.3," + uid)));
        assertEquals(2, json(get("/studies/" + STUDY + "/instances")).size());
        assertEquals(1, json(get("/studies/" + STUDY + "/instances?limit=1&offset=1")).size());
        assertEquals(0, json(get("/studies?StudyInstanceUID=1.2.3")).size());
        JsonNode study = json(get("/studies")).get(0);
        assertEquals(2, study.path("00201208").path("Value").path(0).asInt());
        assertEquals("unknown search attribute \"NoSuchKeyword\"\n", text(get("/studies?NoSuchKeyword=1")));
        assertEquals(400, status(get("/studies?limit=-1")));
    }

    @Test
    void framesAreTheStoredBytesInTheStoredSyntaxOnly() throws Exception {
        Exchange frames = get(instancePath(slide) + "/frames/2,1");
        assertEquals(200, status(frames));
        assertTrue(((String) frames.getMessage().getHeader(Exchange.CONTENT_TYPE))
                .startsWith("multipart/related; type=\"image/jpeg\""));
        String body = new String(((ByteBuffer) frames.getMessage().getBody()).array(),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(body.contains(new String(slide.frames().get(1), java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertEquals(406, status(call("GET", instancePath(slide) + "/frames/1",
                "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90")));
        assertEquals(406, status(call("GET", instancePath(slide) + "/frames/1", "multipart/related; q=0.0")));
        assertEquals(400, status(call("GET", instancePath(slide) + "/frames/1", "multipart/related; q=high")));
        assertEquals(400, status(call("GET", instancePath(slide) + "/frames/1", "multipart/related; type=")));
        // implicit VR native pixels are labelled with the explicit syntax: the same bytes
        assertEquals(200, status(call("GET", instancePath(implicit) + "/frames/1",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1")));
        Exchange outOfRange = get(instancePath(slide) + "/frames/5");
        assertEquals(400, status(outOfRange));
        assertTrue(text(outOfRange).contains("frames 1 to 4"), text(outOfRange));
    }

    @Test
    void headAnswersTheLengthWithoutTheBody() throws Exception {
        Exchange get = get(instancePath(slide) + "/metadata");
        Exchange head = call("HEAD", instancePath(slide) + "/metadata", null);
        assertEquals(200, status(head));
        assertEquals(((ByteBuffer) get.getMessage().getBody()).remaining(), head.getMessage().getHeader("Content-Length"));
        assertNull(head.getMessage().getBody());
    }

    @Test
    void renderedFramesAreTheStoredJpegOrAPngFromTheQuery() throws Exception {
        Exchange jpeg = call("GET", instancePath(slide) + "/frames/3/rendered", "image/jpeg");
        assertEquals("image/jpeg", jpeg.getMessage().getHeader(Exchange.CONTENT_TYPE));
        byte[] stored = slide.frames().get(2);
        byte[] rendered = ((ByteBuffer) jpeg.getMessage().getBody()).array();
        // the fragment as stored (its pad byte aside)
        assertArrayEquals(java.util.Arrays.copyOf(stored, rendered.length), rendered);
        Exchange png = call("GET", instancePath(slide) + "/frames/3/rendered?accept=image%2Fpng", "image/jpeg");
        assertEquals("image/png", png.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals(400, status(call("GET", instancePath(slide) + "/frames/3/rendered?quality=0", "image/jpeg")));
        assertEquals(400, status(call("GET", instancePath(slide) + "/frames/1,2/rendered", "image/jpeg")));
    }

    @Test
    void theWholeInstanceIsTheFileInOnePart() throws Exception {
        Exchange answer = get(instancePath(slide));
        assertEquals(200, status(answer));
        String type = (String) answer.getMessage().getHeader(Exchange.CONTENT_TYPE);
        assertTrue(type.startsWith("multipart/related; type=\"application/dicom\"; boundary="), type);
        byte[] body = answer.getMessage().getBody(byte[].class);
        assertEquals(((Number) answer.getMessage().getHeader("Content-Length")).longValue(), body.length);
        assertEquals(406, status(call("GET", instancePath(slide), "application/dicom+json")));
    }

    @Test
    void headOfTheWholeInstanceOpensNoFile() throws Exception {
        Exchange get = get(instancePath(slide));
        Exchange head = call("HEAD", instancePath(slide), null);
        assertEquals(200, status(head));
        assertEquals(get.getMessage().getHeader("Content-Length"), head.getMessage().getHeader("Content-Length"));
        assertNull(head.getMessage().getBody(), "HEAD answers the length only: no stream over the file to leak");
    }
}
