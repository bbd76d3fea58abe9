package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.codec.JpegXlDecoder;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.EncodedSlides;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.FakeStoreSlides;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JPEG XL (lossless .4.110, JPEG recompression .4.111) and HTJ2K (.4.201) slides, made here by cjxl and ojph_compress,
 * served by a store that holds them and can neither render nor transcode them: the proxy renders them from the stored
 * frames it caches (lossless frames pixel-exact), answers {@code image/jxl} renderings, and gives a client that asks
 * baseline JPEG frames of a recompressed slide the very JPEG bytes the slide was made from.
 *
 * <p>The store is the scripted fake, serving each slide's stored frames and metadata: Orthanc 1.10 stores these
 * instances but answers its DICOMweb frames call for them with 500 "Unsupported transfer syntax" (tried here), as
 * it predates the syntaxes.
 */
class RenderedJpegXlAndHtj2kTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final int SIZE = 128;
    private final FakeDicomWebStore store = STORE.running();
    private GeneratedInstance jxlLossless;
    private GeneratedInstance jxlFromJpeg;
    private GeneratedInstance htj2k;

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    @BeforeAll
    void upload() {
        jxlLossless = EncodedSlides.jpegXlLossless(SlideGenerator.newUid(), SlideGenerator.newUid(), 3, SIZE);
        jxlFromJpeg = EncodedSlides.jpegXlRecompressed(SlideGenerator.newUid(), SlideGenerator.newUid(), 3, SIZE);
        htj2k = EncodedSlides.htj2kLossless(SlideGenerator.newUid(), SlideGenerator.newUid(), 3, SIZE);
        List<GeneratedInstance> slides = List.of(jxlLossless, jxlFromJpeg, htj2k);
        store.answerMetadata(path -> Answer.of(200, "application/dicom+json", metadata(FakeStoreSlides.held(slides, path))));
        store.answerFrames(path -> {
            GeneratedInstance slide = FakeStoreSlides.held(slides, path);
            return FakeStoreSlides.storedFrames(slide, path, TransferSyntaxes.mediaTypeOf(slide.transferSyntaxUid()));
        });
    }

    /** What a store's metadata says of these slides' pixels. */
    private static byte[] metadata(GeneratedInstance slide) {
        String photometric = slide.transferSyntaxUid().equals(EncodedSlides.JPEG_XL_RECOMPRESSION) ? "YBR_FULL_422" : "RGB";
        return FakeStoreSlides.metadata(slide, photometric, "");
    }

    private String url(GeneratedInstance slide, String frames) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frames);
    }

    private void assertRenderedPngIsThePixels(GeneratedInstance slide) throws Exception {
        int rendered = store.renderedCalls();
        HttpResponse<byte[]> png = get(url(slide, "2") + "/rendered", "Accept", "image/png");
        assertEquals(200, png.statusCode(), new String(png.body()));
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertEquals(100, RenderedByProxyTest.psnr(RenderedByProxyTest.rgb(EncodedSlides.pixels(1, SIZE), SIZE, SIZE),
                RenderedByProxyTest.image(png.body())), "decoded exactly");
        assertEquals(rendered, store.renderedCalls(), "the store's /rendered is never asked");
    }

    @Test
    void aLosslessJpegXlFrameRendersToItsPixels() throws Exception {
        assertRenderedPngIsThePixels(jxlLossless);
    }

    @Test
    void aLosslessHtj2kFrameRendersToItsPixels() throws Exception {
        assertRenderedPngIsThePixels(htj2k);
    }

    @Test
    void storedBytesStayTheStoredBytes() throws Exception {
        for (GeneratedInstance slide : List.of(jxlLossless, jxlFromJpeg, htj2k)) {
            HttpResponse<byte[]> stored = get(url(slide, "1,3"), "Accept", STORED);
            assertEquals(200, stored.statusCode(), new String(stored.body()));
            List<BodyPart> parts = parts(stored);
            assertEquals(2, parts.size());
            assertTrue(parts.get(0).contentType().endsWith("transfer-syntax=" + slide.transferSyntaxUid()),
                    parts.get(0).contentType());
            assertArrayEquals(slide.frames().get(0), parts.get(0).content());
            assertArrayEquals(slide.frames().get(2), parts.get(1).content());
        }
    }

    @Test
    void aRecompressedJpegXlSlideAskedAsBaselineJpegIsTheJpegItWasMadeFrom() throws Exception {
        HttpResponse<byte[]> jpeg = get(url(jxlFromJpeg, "1,3"), "Accept",
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE);
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        List<BodyPart> parts = parts(jpeg);
        assertEquals(2, parts.size());
        assertEquals("image/jpeg; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE, parts.get(0).contentType());
        assertArrayEquals(EncodedSlides.recompressedJpeg(0, SIZE), unpadded(parts.get(0).content()), "byte for byte");
        assertArrayEquals(EncodedSlides.recompressedJpeg(2, SIZE), unpadded(parts.get(1).content()), "byte for byte");
    }

    @Test
    void aJpegXlRenderingIsAJpegXlCodestreamOfTheFrame() throws Exception {
        HttpResponse<byte[]> jxl = get(url(htj2k, "3") + "/rendered?quality=100", "Accept", "image/jxl");
        assertEquals(200, jxl.statusCode(), new String(jxl.body()));
        assertEquals("image/jxl", jxl.headers().firstValue("Content-Type").orElse(""));
        byte[] body = jxl.body();
        boolean codestream = body.length > 2 && (body[0] & 0xFF) == 0xFF && body[1] == 0x0A;
        boolean container = body.length > 12 && body[4] == 'J' && body[5] == 'X' && body[6] == 'L' && body[7] == ' ';
        assertTrue(codestream || container, "a JPEG XL signature");
        BufferedImage decoded = new JpegXlDecoder().decode(body, new PixelFormat(SIZE, SIZE, 3, 8, 8, "RGB", 0, false));
        assertEquals(100, RenderedByProxyTest.psnr(RenderedByProxyTest.rgb(EncodedSlides.pixels(2, SIZE), SIZE, SIZE),
                decoded), "quality 100 is lossless");
    }

    private static byte[] unpadded(byte[] frame) {
        return frame.length > 0 && frame[frame.length - 1] == 0 ? java.util.Arrays.copyOf(frame, frame.length - 1) : frame;
    }
}
