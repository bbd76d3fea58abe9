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
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.EncodedSlides;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JPEG 2000 slide in real Orthanc, which can neither render nor transcode it: the proxy renders it (PNG equal to
 * the tile's pixels, the frame being lossless) and, for a client that asks baseline JPEG frames as Slim does, transcodes
 * the stored frames itself; the stored bytes stay what {@code transfer-syntax=*} gets.
 */
class RenderedJpeg2000Test extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final int SIZE = 128;
    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    @BeforeAll
    void upload() {
        slide = EncodedSlides.jpeg2000Lossless(SlideGenerator.newUid(), SlideGenerator.newUid(), 3, SIZE);
        ORTHANC.upload(slide.part10());
    }

    private String url(String frames) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frames);
    }

    @Test
    void renderedPngOfALosslessFrameIsItsPixels() throws Exception {
        HttpResponse<byte[]> png = get(url("2") + "/rendered", "Accept", "image/png");
        assertEquals(200, png.statusCode(), new String(png.body()));
        assertEquals(100, RenderedByProxyTest.psnr(RenderedByProxyTest.rgb(EncodedSlides.pixels(1, SIZE), SIZE, SIZE),
                RenderedByProxyTest.image(png.body())), "decoded exactly");
        assertEquals(0, upstreamCalls().getRenderedCalls(), "Orthanc cannot render JPEG 2000: never asked");
    }

    @Test
    void slimAskingBaselineJpegFramesGetsThemTranscodedByTheProxy() throws Exception {
        HttpResponse<byte[]> jpeg = get(url("1,3"), "Accept",
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE);
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        List<BodyPart> parts = parts(jpeg);
        assertEquals(2, parts.size());
        int[] frames = {1, 3};
        for (int i = 0; i < 2; i++) {
            assertEquals("image/jpeg; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE, parts.get(i).contentType());
            BufferedImage decoded = RenderedByProxyTest.image(parts.get(i).content());
            double psnr = RenderedByProxyTest.psnr(RenderedByProxyTest.rgb(EncodedSlides.pixels(frames[i] - 1, SIZE), SIZE,
                    SIZE), decoded);
            assertTrue(psnr >= 35, "baseline JPEG at quality 95 of the stored pixels: PSNR " + psnr);
        }
        long raw = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> stored = get(url("3"), "Accept", STORED);
        assertEquals(200, stored.statusCode());
        assertEquals("image/jp2; transfer-syntax=" + EncodedSlides.JPEG_2000_LOSSLESS, parts(stored).get(0).contentType());
        assertArrayEquals(slide.frames().get(2), parts(stored).get(0).content(), "stored bytes, not the transcoded ones");
        assertEquals(raw, upstreamCalls().getRawFrameCalls(), "the stored frame the transcoding used was cached");
    }
}
