package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy with a folder of DICOM files as its store (local-store.folder) and no other process: frames, rendered
 * frames, metadata, searches and whole instances over real HTTP through the proxy, with the bytes the generator
 * wrote; and the folder's endpoint called directly, answering errors as an HTTP store would.
 */
class LocalStoreTest extends ProxyTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STUDY = SlideGenerator.newUid();
    private static final String SERIES = SlideGenerator.newUid();
    private static final String OTHER_STUDY = SlideGenerator.newUid();
    private static final String OTHER_SERIES = SlideGenerator.newUid();

    private Path folder;
    private GeneratedInstance slide;
    private GeneratedInstance nativeExplicit;
    private GeneratedInstance nativeImplicit;
    private GeneratedInstance other;

    @Override
    protected Properties testProperties() {
        try {
            folder = Files.createTempDirectory("local-store");
            slide = SlideGenerator.jpegWsi(STUDY, SERIES, 8, 4, 64, true);
            nativeExplicit = SlideGenerator.nativeInstance(STUDY, SERIES, 3, 8, 12, true);
            nativeImplicit = SlideGenerator.nativeInstance(STUDY, SERIES, 2, 4, 6, false);
            other = SlideGenerator.jpegWsi(OTHER_STUDY, OTHER_SERIES, 2, 1, 32, false);
            Files.write(folder.resolve("slide.dcm"), slide.part10());
            Files.createDirectories(folder.resolve("nested/deeper"));
            Files.write(folder.resolve("nested/native-explicit.dcm"), nativeExplicit.part10());
            Files.write(folder.resolve("nested/deeper/native-implicit"), nativeImplicit.part10());
            Files.write(folder.resolve("other.dcm"), other.part10());
            // skipped with a warning: not DICOM, and a second file of the same instance
            Files.writeString(folder.resolve("README.txt"), "not DICOM");
            Files.write(folder.resolve("zz-duplicate.dcm"), slide.part10());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.setProperty("local-store.folder", folder.toString());
        p.setProperty("proxy.upstream-url", "http://127.0.0.1:9/ignored-when-a-folder-is-set");
        p.setProperty("prefetch.enabled", "true");
        return p;
    }

    @AfterAll
    void deleteFolder() throws IOException {
        try (var walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The folder's endpoint called directly, as the routes call their upstream. */
    private Exchange store(String path, String accept) {
        return template.request("dicom-folder://local", e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
            int q = path.indexOf('?');
            e.getIn().setHeader(Exchange.HTTP_PATH, q < 0 ? path : path.substring(0, q));
            if (q >= 0) {
                e.getIn().setHeader(Exchange.HTTP_QUERY, path.substring(q + 1));
            }
            if (accept != null) {
                e.getIn().setHeader("Accept", accept);
            }
        });
    }

    private static int status(Exchange answer) {
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static String text(Exchange answer) {
        return answer.getMessage().getBody(String.class);
    }

    private String proxy(String path) {
        return "http://127.0.0.1:" + proxyPort + "/dicomweb" + path;
    }

    private static String instancePath(GeneratedInstance i) {
        return "/studies/" + i.studyUid() + "/series/" + i.seriesUid() + "/instances/" + i.sopInstanceUid();
    }

    @Test
    void framesThroughTheProxyAreTheStoredBytesAndTheRepeatIsACacheHit() throws Exception {
        long before = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> first = get(proxy(instancePath(slide) + "/frames/1,17,3,17"), "Accept", STORED);
        assertEquals(200, first.statusCode(), () -> new String(first.body(), StandardCharsets.UTF_8));
        List<BodyPart> parts = parts(first);
        int[] expected = {1, 17, 3, 17};
        assertEquals(4, parts.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", parts.get(i).contentType());
            assertArrayEquals(slide.frames().get(expected[i] - 1), parts.get(i).content(), "frame " + expected[i]);
        }
        assertEquals(before + 1, upstreamCalls().getRawFrameCalls(), "one call to the local store for the misses");

        HttpResponse<byte[]> again = get(proxy(instancePath(slide) + "/frames/3,1"), "Accept", STORED);
        assertEquals(200, again.statusCode());
        assertArrayEquals(slide.frames().get(2), parts(again).get(0).content());
        assertEquals(before + 1, upstreamCalls().getRawFrameCalls(), "served from the cache");
    }

    @Test
    void nativeFramesAreServedAsExplicitLittleEndianFromBothSyntaxes() throws Exception {
        for (GeneratedInstance instance : List.of(nativeExplicit, nativeImplicit)) {
            HttpResponse<byte[]> answer = get(proxy(instancePath(instance) + "/frames/2,1"), "Accept", STORED);
            assertEquals(200, answer.statusCode(), () -> new String(answer.body(), StandardCharsets.UTF_8));
            List<BodyPart> parts = parts(answer);
            assertEquals("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", parts.get(0).contentType());
            assertArrayEquals(instance.frames().get(1), parts.get(0).content());
            assertArrayEquals(instance.frames().get(0), parts.get(1).content());
        }
    }

    @Test
    void renderedJpegOfABaselineJpegFrameIsTheFrameItselfAndPngDecodes() throws Exception {
        HttpResponse<byte[]> jpeg = get(proxy(instancePath(slide) + "/frames/5/rendered"), "Accept", "image/jpeg");
        assertEquals(200, jpeg.statusCode());
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElseThrow());
        byte[] stored = slide.frames().get(4);
        // the stored fragment carries an even-length pad byte; the image is the same bytes
        assertArrayEquals(stored, jpeg.body());

        HttpResponse<byte[]> png = get(proxy(instancePath(slide) + "/frames/5/rendered"), "Accept", "image/png");
        assertEquals(200, png.statusCode(), () -> new String(png.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertNotNull(image);
        assertEquals(64, image.getWidth());
        assertEquals(64, image.getHeight());
    }

    @Test
    void renderedPngOfNativeRgbKeepsEveryPixel() throws Exception {
        HttpResponse<byte[]> png = get(proxy(instancePath(nativeExplicit) + "/frames/3/rendered"), "Accept", "image/png");
        assertEquals(200, png.statusCode(), () -> new String(png.body(), StandardCharsets.UTF_8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        byte[] rgb = nativeExplicit.frames().get(2);
        assertEquals(12, image.getWidth());
        assertEquals(8, image.getHeight());
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                int i = 3 * (y * 12 + x);
                int expected = (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | rgb[i + 2] & 0xFF;
                assertEquals(expected, image.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void wholeInstanceIsTheFileAsWritten() throws Exception {
        HttpResponse<byte[]> answer = get(proxy(instancePath(slide)),
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, answer.statusCode());
        List<BodyPart> parts = parts(answer);
        assertEquals(1, parts.size());
        assertEquals("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50", parts.get(0).contentType());
        assertArrayEquals(slide.part10(), parts.get(0).content());
    }

    @Test
    void metadataAtEachLevelThroughTheProxy() throws Exception {
        JsonNode instance = json(get(proxy(instancePath(slide) + "/metadata"), "Accept", "application/dicom+json"));
        assertEquals(1, instance.size());
        assertEquals(slide.sopInstanceUid(), instance.get(0).path("00080018").path("Value").path(0).asText());
        assertEquals(32, instance.get(0).path("00280008").path("Value").path(0).asInt());

        JsonNode series = json(get(proxy("/studies/" + STUDY + "/series/" + SERIES + "/metadata")));
        assertEquals(3, series.size(), "the duplicate file is not a fourth instance");
        JsonNode study = json(get(proxy("/studies/" + OTHER_STUDY + "/metadata")));
        assertEquals(1, study.size());
    }

    @Test
    void searchesForStudiesSeriesAndInstances() throws Exception {
        JsonNode studies = json(get(proxy("/studies"), "Accept", "application/dicom+json"));
        assertEquals(2, studies.size());
        JsonNode mine = json(get(proxy("/studies?StudyInstanceUID=" + STUDY)));
        assertEquals(1, mine.size());
        assertEquals(1, mine.get(0).path("00201206").path("Value").path(0).asInt(), "series in study");
        assertEquals(3, mine.get(0).path("00201208").path("Value").path(0).asInt(), "instances in study");

        JsonNode series = json(get(proxy("/studies/" + STUDY + "/series")));
        assertEquals(1, series.size());
        assertEquals(SERIES, series.get(0).path("0020000E").path("Value").path(0).asText());
        assertEquals(3, series.get(0).path("00201209").path("Value").path(0).asInt());

        JsonNode instances = json(get(proxy("/studies/" + STUDY + "/series/" + SERIES + "/instances")));
        assertEquals(3, instances.size());
        JsonNode one = json(get(proxy("/instances?SOPInstanceUID=" + nativeImplicit.sopInstanceUid())));
        assertEquals(1, one.size());
        assertEquals(2, one.get(0).path("00280008").path("Value").path(0).asInt());

        JsonNode paged = json(get(proxy("/studies/" + STUDY + "/series/" + SERIES + "/instances?limit=1&offset=2")));
        assertEquals(1, paged.size());
        assertEquals(0, json(get(proxy("/studies?StudyInstanceUID=1.2.3.4.5"))).size());
    }

    @Test
    void theStoreAnswersErrorsAsStatusesLikeAnHttpStore() {
        assertEquals(404, status(store("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.3/frames/1", null)));
        Exchange outOfRange = store(instancePath(slide) + "/frames/33", null);
        assertEquals(400, status(outOfRange));
        assertTrue(text(outOfRange).contains("frames 1 to 32"), text(outOfRange));
        assertEquals(406, status(store(instancePath(slide) + "/frames/1",
                "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90")));
        assertEquals(400, status(store("/studies?NoSuchKeyword=1", null)));
        assertEquals(406, status(store("/studies", "text/html")));
        // q=0 in any spelling refuses (RFC 9110 §12.4.2), as the routes read it; a malformed q-value is a 400
        assertEquals(406, status(store("/studies", "application/dicom+json; q=0.0")));
        assertEquals(406, status(store(instancePath(slide) + "/frames/1", "multipart/related; q=0.000")));
        assertEquals(406, status(store(instancePath(slide) + "/frames/1/rendered", "image/png; q=0.0")));
        assertEquals(400, status(store("/studies", "application/dicom+json; q=high")));
        assertEquals(404, status(store("/workitems", null)));
        assertEquals(404, status(store(instancePath(slide) + "/bulkdata/7FE00010", null)));
        Exchange stow = template.request("dicom-folder://local", e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getIn().setHeader(Exchange.HTTP_PATH, "/studies");
        });
        assertEquals(405, status(stow));
    }

    @Test
    void throughTheProxyErrorsKeepTheirStatus() throws Exception {
        // a frame the instance does not have is refused before anything is fetched
        assertEquals(400, get(proxy(instancePath(slide) + "/frames/99"), "Accept", STORED).statusCode());
        assertEquals(404, get(proxy("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.3/frames/1"),
                "Accept", STORED).statusCode());
        // JPEG 2000 asked of a JPEG baseline instance: the folder does not transcode
        HttpResponse<byte[]> jp2 = get(proxy(instancePath(slide) + "/frames/2"),
                "Accept", "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90");
        assertEquals(406, jp2.statusCode(), () -> new String(jp2.body(), StandardCharsets.UTF_8));
        assertEquals(405, HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(proxy("/studies")))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/dicom+json"));
        return JSON.readTree(response.body());
    }
}
