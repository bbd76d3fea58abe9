package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rendered endpoint made by the proxy itself, over real HTTP in front of real Orthanc: JPEG, PNG and WebP from a
 * baseline-JPEG slide and from a native slide (PNG of a native frame is its stored pixels exactly), the operations'
 * geometry, several frames as multipart, query-parameter 400s, Accept 406s, cache keys that never collide with the
 * stored bytes, one raw fetch per stored frame shared by rendered and raw requests (the store's /rendered never
 * asked), and client-capability transcoding on the raw path.
 */
class RenderedByProxyTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final String BASELINE_JPEG_FRAMES =
            "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE;

    private GeneratedInstance jpegSlide;
    private GeneratedInstance nativeSlide;
    private GeneratedInstance implicitSlide;
    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    /** For the long frame list alone: it caches every frame of its instance. */
    private GeneratedInstance listSlide;
    /** One 256 x 256 frame: an image of a single frame (an overview, a label), downsampled on its own. */
    private GeneratedInstance singleFrame;

    @BeforeAll
    void uploadSlides() {
        String study = SlideGenerator.newUid();
        jpegSlide = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 4, 4, 256, true);
        ORTHANC.upload(jpegSlide.part10());
        nativeSlide = SlideGenerator.nativeInstance(study, SlideGenerator.newUid(), 6, 64, 96, true);
        ORTHANC.upload(nativeSlide.part10());
        listSlide = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 4, 4, 64, true);
        ORTHANC.upload(listSlide.part10());
        implicitSlide = SlideGenerator.nativeInstance(study, SlideGenerator.newUid(), 2, 32, 32, false);
        ORTHANC.upload(implicitSlide.part10());
        singleFrame = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 1, 1, 256, true);
        ORTHANC.upload(singleFrame.part10());
    }

    @Test
    void framesStoredInASyntaxTheProxyDoesNotTakeAreRenderedByTheStore() throws Exception {
        // Implicit VR Little Endian is outside proxy.supported-transfer-syntaxes: the store's /rendered, once per frame
        long storeRendered = upstreamCalls().getRenderedCalls();
        HttpResponse<byte[]> first = get(rendered(implicitSlide, "1", ""));
        assertEquals(200, first.statusCode(), new String(first.body()));
        assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(storeRendered + 1, upstreamCalls().getRenderedCalls());
        long raw = upstreamCalls().getRawFrameCalls();
        assertEquals(200, get(rendered(implicitSlide, "2", "")).statusCode());
        assertEquals(raw, upstreamCalls().getRawFrameCalls(), "the stored frames are not tried again");
        HttpResponse<byte[]> downsampled = get(rendered(implicitSlide, "2", "downsample=2"));
        assertEquals(406, downsampled.statusCode(), "the store cannot downsample");
        assertTrue(new String(downsampled.body()).contains("downsample"), new String(downsampled.body()));
    }

    private String url(GeneratedInstance instance, String frames) {
        return framesUrl(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid(), frames);
    }

    private String rendered(GeneratedInstance instance, String frames, String query) {
        return url(instance, frames) + "/rendered" + (query.isEmpty() ? "" : "?" + query);
    }

    @Test
    void jpegPngAndWebpOfABaselineJpegSlideComeFromOneRawFetchAndNoStoreRendering() throws Exception {
        long raw = upstreamCalls().getRawFrameCalls();
        long storeRendered = upstreamCalls().getRenderedCalls();

        HttpResponse<byte[]> jpeg = get(rendered(jpegSlide, "3", ""));
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage jpegImage = image(jpeg.body());
        assertEquals(256, jpegImage.getWidth());
        assertEquals(256, jpegImage.getHeight());
        BufferedImage stored = image(jpegSlide.frames().get(2));
        assertTrue(psnr(stored, jpegImage) >= 35, "re-encoded at quality 95: PSNR " + psnr(stored, jpegImage));

        HttpResponse<byte[]> png = get(rendered(jpegSlide, "3", ""), "Accept", "image/png");
        assertEquals(200, png.statusCode(), new String(png.body()));
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(psnr(stored, image(png.body())) >= 40, "PNG is the decoded frame: PSNR " + psnr(stored, image(png.body())));

        HttpResponse<byte[]> webp = get(rendered(jpegSlide, "3", ""), "Accept", "image/webp, image/jpeg; q=0.5");
        assertEquals(200, webp.statusCode(), new String(webp.body()));
        assertEquals("image/webp", webp.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("RIFF", new String(webp.body(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals("WEBP", new String(webp.body(), 8, 4, StandardCharsets.US_ASCII));

        assertEquals(raw + 1, upstreamCalls().getRawFrameCalls(), "one raw fetch of the stored frame, shared by all three");
        assertEquals(storeRendered, upstreamCalls().getRenderedCalls(), "the store's /rendered is never asked");

        // repeats are cache hits: same bytes, no call at all, answered before the route (in-process hits)
        long total = upstreamCalls().getTotal();
        InProcessHits hits = context.getRegistry().lookupByNameAndType("inProcessHits", InProcessHits.class);
        long answeredBefore = hits.getAnswered();
        assertArrayEquals(jpeg.body(), get(rendered(jpegSlide, "3", "")).body());
        assertArrayEquals(png.body(), get(rendered(jpegSlide, "3", ""), "Accept", "image/png").body());
        assertEquals(total, upstreamCalls().getTotal());
        assertEquals(answeredBefore + 2, hits.getAnswered(), "warm rendered tiles never enter the route");
    }

    @Test
    void pngOfANativeFrameIsItsStoredPixelsExactly() throws Exception {
        HttpResponse<byte[]> png = get(rendered(nativeSlide, "2", "embed_iccprofile=no"), "Accept", "image/png");
        assertEquals(200, png.statusCode(), new String(png.body()));
        BufferedImage image = image(png.body());
        assertEquals(96, image.getWidth());
        assertEquals(64, image.getHeight());
        byte[] rgb = nativeSlide.frames().get(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                int at = (y * 96 + x) * 3;
                int expected = (rgb[at] & 0xff) << 16 | (rgb[at + 1] & 0xff) << 8 | rgb[at + 2] & 0xff;
                assertEquals(expected, image.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
            }
        }
        HttpResponse<byte[]> jpeg = get(rendered(nativeSlide, "2", ""));
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        assertTrue(psnr(image, image(jpeg.body())) >= 35);
    }

    @Test
    void operationsShapeTheOutput() throws Exception {
        // of an image of one frame, the frame halved; of a tiled level, frame 4 of the level (see DownsampledLevelTest)
        BufferedImage half = image(get(rendered(singleFrame, "1", "downsample=2&interpolation=cubic")).body());
        assertEquals(128, half.getWidth());
        assertEquals(128, half.getHeight());
        BufferedImage levelFrame = image(get(rendered(jpegSlide, "4", "downsample=2&interpolation=cubic")).body());
        assertEquals(256, levelFrame.getWidth());
        BufferedImage viewport = image(get(rendered(jpegSlide, "4", "viewport=64,32")).body());
        // the 256x256 frame fitted into 64x32, its aspect kept
        assertEquals(32, viewport.getWidth());
        assertEquals(32, viewport.getHeight());
        HttpResponse<byte[]> lower = get(rendered(jpegSlide, "4", "quality=20"));
        HttpResponse<byte[]> higher = get(rendered(jpegSlide, "4", "QUALITY=+90"));
        assertEquals(200, higher.statusCode(), new String(higher.body()));
        assertTrue(lower.body().length < higher.body().length, "quality changes the output");
    }

    @Test
    void severalFramesAreMultipartOneImagePerFrame() throws Exception {
        HttpResponse<byte[]> response = get(rendered(jpegSlide, "5,6", ""), "Accept", "image/png");
        assertEquals(200, response.statusCode(), new String(response.body()));
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/related; type=\"image/png\""), type);
        List<BodyPart> parts = parts(response);
        assertEquals(2, parts.size());
        for (int i = 0; i < 2; i++) {
            assertEquals("image/png", parts.get(i).contentType());
            assertTrue(parts.get(i).headers().get("content-location").endsWith("/frames/" + (5 + i) + "/rendered"));
            assertTrue(psnr(image(jpegSlide.frames().get(4 + i)), image(parts.get(i).content())) >= 40);
        }
    }

    @Test
    void aLongFrameListNeedsNoLargerPoolAndARegionOutsideTheFrameIs400() throws Exception {
        String all = String.join(",", IntStream.rangeClosed(1, 16).mapToObj(Integer::toString).toList());
        HttpResponse<byte[]> response = get(rendered(listSlide, all, "quality=60"));
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(16, parts(response).size());

        HttpResponse<byte[]> outside = get(rendered(listSlide, "1", "viewport=64,64,50,50,100,100"));
        assertEquals(400, outside.statusCode());
        assertTrue(new String(outside.body()).contains("viewport"), new String(outside.body()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "quality=0|quality", "quality=101|quality", "quality=abc|quality", "downsample=0.5|downsample",
            "downsample=1.5|downsample", "interpolation=bogus|interpolation", "viewport=10|viewport",
            "viewport=10,10,0,0,0,5|viewport", "iccprofile=cmyk|iccprofile", "embed_iccprofile=maybe|embed_iccprofile"})
    void invalidParametersAre400WithAOneLineReasonBeforeTheStoreIsAsked(String query, String named) throws Exception {
        long total = upstreamCalls().getTotal();
        HttpResponse<byte[]> response = get(rendered(jpegSlide, "1", query));
        assertEquals(400, response.statusCode());
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith(named), body);
        assertEquals(1, body.strip().lines().count(), body);
        assertEquals(total, upstreamCalls().getTotal());
    }

    @Test
    void acceptThatNothingHereSatisfiesIs406() throws Exception {
        HttpResponse<byte[]> pdf = get(rendered(jpegSlide, "1", ""), "Accept", "application/pdf");
        assertEquals(406, pdf.statusCode());
        assertTrue(new String(pdf.body()).contains("image/jpeg, image/png, image/webp"), new String(pdf.body()));
        HttpResponse<byte[]> refused = get(rendered(jpegSlide, "1", ""), "Accept", "image/*, image/jpeg; q=0, image/png; q=0, "
                + "image/webp; q=0, image/gif; q=0, image/jxl; q=0");
        assertEquals(406, refused.statusCode());
        HttpResponse<byte[]> withSyntax = get(rendered(jpegSlide, "1", "accept="
                + URLEncoder.encode("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", StandardCharsets.UTF_8)));
        assertEquals(400, withSyntax.statusCode());
    }

    @Test
    void renderedAndStoredBytesNeverShareAKey() throws Exception {
        long raw = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> rendered = get(rendered(jpegSlide, "8", "quality=50"));
        assertEquals(200, rendered.statusCode(), new String(rendered.body()));
        HttpResponse<byte[]> stored = get(url(jpegSlide, "8"), "Accept", STORED);
        assertEquals(200, stored.statusCode());
        assertArrayEquals(jpegSlide.frames().get(7), parts(stored).get(0).content(), "transfer-syntax=* gets the stored bytes");
        assertFalse(java.util.Arrays.equals(rendered.body(), parts(stored).get(0).content()));
        assertEquals(raw + 1, upstreamCalls().getRawFrameCalls(), "the raw request used the frame the rendering fetched");
    }

    @Test
    void aRenderingUsesTheFrameARawRequestFetched() throws Exception {
        assertEquals(200, get(url(jpegSlide, "9,10"), "Accept", STORED).statusCode());
        long total = upstreamCalls().getTotal();
        HttpResponse<byte[]> rendered = get(rendered(jpegSlide, "9,10", "quality=70&iccprofile=srgb"));
        assertEquals(200, rendered.statusCode(), new String(rendered.body()));
        assertEquals(total, upstreamCalls().getTotal(), "stored frames from the cache, rendering in process");
    }

    @Test
    void rawFramesInASyntaxTheStoreDoesNotHoldAreTranscodedByTheProxy() throws Exception {
        long raw = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> jpeg = get(url(nativeSlide, "3"), "Accept", BASELINE_JPEG_FRAMES);
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        List<BodyPart> parts = parts(jpeg);
        assertEquals("image/jpeg; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE, parts.get(0).contentType());
        BufferedImage decoded = image(parts.get(0).content());
        assertEquals(96, decoded.getWidth());

        HttpResponse<byte[]> stored = get(url(nativeSlide, "3"), "Accept", STORED);
        assertEquals(200, stored.statusCode());
        assertArrayEquals(nativeSlide.frames().get(2), parts(stored).get(0).content(), "never mistaken for stored bytes");
        assertTrue(psnr(rgb(nativeSlide.frames().get(2), 96, 64), decoded) >= 35, "baseline JPEG of the stored pixels");
        assertEquals(raw + 1, upstreamCalls().getRawFrameCalls(), "one raw fetch (the probe) serves both");
        assertArrayEquals(parts.get(0).content(), parts(get(url(nativeSlide, "3"), "Accept", BASELINE_JPEG_FRAMES)).get(0).content(),
                "the transcoded frame is cached");
    }

    static BufferedImage rgb(byte[] interleaved, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < width * height; i++) {
            image.setRGB(i % width, i / width, (interleaved[3 * i] & 0xff) << 16 | (interleaved[3 * i + 1] & 0xff) << 8
                    | interleaved[3 * i + 2] & 0xff);
        }
        return image;
    }

    static BufferedImage image(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "not an image ImageIO reads");
        return image;
    }

    /** Peak signal-to-noise ratio over the RGB samples; infinite (here 100) for equal images. */
    static double psnr(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = (p >> shift & 0xff) - (q >> shift & 0xff);
                    sum += d * d;
                }
            }
        }
        double mse = sum / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? 100 : 10 * Math.log10(255 * 255 / mse);
    }
}
