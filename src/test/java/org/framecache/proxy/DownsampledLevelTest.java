package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Virtual pyramid levels in front of real Orthanc: {@code downsample=N} on the frames of a TILED_FULL instance gives
 * the frames of the level scaled by 1/N (each from its block of stored tiles, fetched once), and the instance's
 * metadata with the same parameter describes that level (total pixel matrix, NumberOfFrames, frame size, spacing).
 */
class DownsampledLevelTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final ObjectMapper JSON = new ObjectMapper();
    private GeneratedInstance jpegLevel;
    private GeneratedInstance nativeLevel;
    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    /** The same level again, for rendered requests (so the counts of the raw tests do not depend on their order). */
    private GeneratedInstance renderedLevel;

    @BeforeAll
    void upload() {
        String study = SlideGenerator.newUid();
        jpegLevel = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 4, 3, 64, true);
        ORTHANC.upload(jpegLevel.part10());
        renderedLevel = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 4, 3, 64, true);
        ORTHANC.upload(renderedLevel.part10());
        // 6 tiles of 64 rows x 32 columns in one row: 192 x 64 pixels
        nativeLevel = SlideGenerator.nativeInstance(study, SlideGenerator.newUid(), 6, 64, 32, true);
        ORTHANC.upload(nativeLevel.part10());
    }

    private String url(GeneratedInstance instance, String tail) {
        return "http://127.0.0.1:" + proxyPort + "/dicomweb/studies/" + instance.studyUid() + "/series/"
                + instance.seriesUid() + "/instances/" + instance.sopInstanceUid() + tail;
    }

    @Test
    void theMetadataDescribesTheLevel() throws Exception {
        HttpResponse<byte[]> metadata = get(url(jpegLevel, "/metadata?downsample=2"), "Accept", "application/dicom+json");
        assertEquals(200, metadata.statusCode(), new String(metadata.body()));
        JsonNode dataset = JSON.readTree(metadata.body()).get(0);
        assertEquals(128, dataset.at("/00480006/Value/0").asLong());
        assertEquals(96, dataset.at("/00480007/Value/0").asLong());
        assertEquals(64, dataset.at("/00280011/Value/0").asInt());
        assertEquals(64, dataset.at("/00280010/Value/0").asInt());
        assertEquals(4, dataset.at("/00280008/Value/0").asInt(), "2 x 2 tiles of 64");
        assertEquals(0.0005, dataset.at("/52009229/Value/0/00289110/Value/0/00280030/Value/0").asDouble(), 1e-9);

        JsonNode level4 = JSON.readTree(get(url(jpegLevel, "/metadata?downsample=4"), "Accept", "application/dicom+json")
                .body()).get(0);
        assertEquals(64, level4.at("/00480006/Value/0").asLong());
        assertEquals(48, level4.at("/00480007/Value/0").asLong());
        assertEquals(48, level4.at("/00280010/Value/0").asInt(), "one frame, as large as the level");
        assertEquals(1, level4.at("/00280008/Value/0").asInt());

        JsonNode plain = JSON.readTree(get(url(jpegLevel, "/metadata"), "Accept", "application/dicom+json").body()).get(0);
        assertEquals(12, plain.at("/00280008/Value/0").asInt(), "without downsample: the store's answer as it is");
    }

    @Test
    void framesOfTheLevelAreTheirBlocksScaledDown() throws Exception {
        long raw = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> response = get(url(jpegLevel, "/frames/2?downsample=2"), "Accept", STORED);
        assertEquals(200, response.statusCode(), new String(response.body()));
        List<BodyPart> parts = parts(response);
        assertEquals("image/jpeg; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE, parts.get(0).contentType());
        BufferedImage frame = RenderedByProxyTest.image(parts.get(0).content());
        assertEquals(64, frame.getWidth());
        BufferedImage expected = secondFrameOfTheHalfLevel(jpegLevel);
        double psnr = RenderedByProxyTest.psnr(expected, frame);
        assertTrue(psnr >= 30, "PSNR " + psnr);
        assertEquals(raw + 2, upstreamCalls().getRawFrameCalls(),
                "one stored frame to learn the stored syntax, then the four stored tiles in one call");

        HttpResponse<byte[]> beyond = get(url(jpegLevel, "/frames/5?downsample=2"), "Accept", STORED);
        assertEquals(400, beyond.statusCode());
        assertTrue(new String(beyond.body()).contains("has 4 frames"), new String(beyond.body()));

        HttpResponse<byte[]> stored = get(url(jpegLevel, "/frames/2"), "Accept", STORED);
        assertEquals(jpegLevel.frames().get(1).length, parts(stored).get(0).content().length, "the stored frame 2, apart");
    }

    @Test
    void renderedFramesWithDownsampleAreTheLevelsFramesAsTheReferenceProxyRendersThem() throws Exception {
        HttpResponse<byte[]> response = get(url(renderedLevel, "/frames/2/rendered?downsample=2"), "Accept", "image/png");
        assertEquals(200, response.statusCode(), new String(response.body()));
        BufferedImage frame = RenderedByProxyTest.image(response.body());
        assertEquals(64, frame.getWidth(), "a tile of the stored size, not the stored frame 2 halved");
        assertEquals(64, frame.getHeight());
        BufferedImage expected = secondFrameOfTheHalfLevel(renderedLevel);
        double psnr = RenderedByProxyTest.psnr(expected, frame);
        assertTrue(psnr >= 35, "PSNR " + psnr);

        // the last frame of the 4x level (one frame of 64 x 48) and a viewport of a level frame
        HttpResponse<byte[]> level4 = get(url(renderedLevel, "/frames/1/rendered?downsample=4"), "Accept", "image/png");
        assertEquals(200, level4.statusCode(), new String(level4.body()));
        assertEquals(64, RenderedByProxyTest.image(level4.body()).getWidth());
        assertEquals(48, RenderedByProxyTest.image(level4.body()).getHeight());
        HttpResponse<byte[]> viewport = get(url(renderedLevel, "/frames/2/rendered?downsample=2&viewport=32,32"), "Accept",
                "image/png");
        assertEquals(200, viewport.statusCode(), new String(viewport.body()));
        assertEquals(32, RenderedByProxyTest.image(viewport.body()).getWidth());

        HttpResponse<byte[]> beyond = get(url(renderedLevel, "/frames/5/rendered?downsample=2"), "Accept", "image/png");
        assertEquals(400, beyond.statusCode());
        assertTrue(new String(beyond.body()).contains("has 4 frames"), new String(beyond.body()));
    }

    /** Frame 2 of the 2x level of a 4 x 3 level of 64 x 64 tiles: stored tiles 3, 4 and 7, 8, each 2 x 2 block averaged. */
    private static BufferedImage secondFrameOfTheHalfLevel(GeneratedInstance level) throws Exception {
        BufferedImage expected = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        int[] tiles = {3, 4, 7, 8};
        for (int t = 0; t < 4; t++) {
            BufferedImage tile = RenderedByProxyTest.image(level.frames().get(tiles[t] - 1));
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    expected.setRGB(t % 2 * 32 + x, t / 2 * 32 + y, average(tile, 2 * x, 2 * y));
                }
            }
        }
        return expected;
    }

    @Test
    void nativeFramesOfTheLevelAreNativePixels() throws Exception {
        HttpResponse<byte[]> response = get(url(nativeLevel, "/frames/1,2?downsample=2&interpolation=nearest"), "Accept",
                STORED);
        assertEquals(200, response.statusCode(), new String(response.body()));
        List<BodyPart> parts = parts(response);
        assertEquals("application/octet-stream; transfer-syntax=" + TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN,
                parts.get(0).contentType());
        // the level is 96 x 32: frames of 32 columns x 32 rows (the level is shorter than a tile)
        assertEquals(32 * 32 * 3, parts.get(0).content().length);
        byte[] stored = nativeLevel.frames().get(0);
        byte[] level = parts.get(0).content();
        int agree = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 16; x++) {
                // virtual frame 1, left half: stored tile 1 every other pixel (nearest: one of the 2 x 2 block)
                boolean any = false;
                for (int dy = 0; dy < 2 && !any; dy++) {
                    for (int dx = 0; dx < 2 && !any; dx++) {
                        int s = ((2 * y + dy) * 32 + 2 * x + dx) * 3;
                        int l = (y * 32 + x) * 3;
                        any = stored[s] == level[l] && stored[s + 1] == level[l + 1] && stored[s + 2] == level[l + 2];
                    }
                }
                agree += any ? 1 : 0;
            }
        }
        assertEquals(32 * 16, agree, "every pixel is a stored pixel of its block");
    }

    private static int average(BufferedImage tile, int x, int y) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int p = tile.getRGB(x + dx, y + dy);
                r += p >> 16 & 0xff;
                g += p >> 8 & 0xff;
                b += p & 0xff;
            }
        }
        return (r + 2) / 4 << 16 | (g + 2) / 4 << 8 | (b + 2) / 4;
    }
}
