package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.framecache.proxy.testing.DicomWriter;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.FakeStoreSlides;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Node;

/**
 * A baseline JPEG slide whose frames are coded as RGB (no colour transform) with nothing in the stream saying so
 * (no JFIF, no Adobe marker, component ids 1, 2, 3): only its Photometric Interpretation RGB tells (PS3.5 §8.2.1). A
 * viewer reading a JPEG file takes such a stream as YCbCr, so the rendered JPEG is never the stored stream as it is:
 * it is decoded as the Photometric Interpretation says and written again, and shows the right colours. A JFIF frame
 * asked as JPEG with nothing to change is still the stored image itself.
 */
class RenderedRgbCodedJpegTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final int SIZE = 32;
    private static final int LEFT = 0xD02020;
    private static final int RIGHT = 0x2040C0;
    private final FakeDicomWebStore store = STORE.running();
    private GeneratedInstance rgbCoded;
    private GeneratedInstance jfif;

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    @BeforeAll
    void serveSlides() throws IOException {
        GeneratedInstance plain = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 1, SIZE, true);
        byte[] frame = DicomWriter.pad(rgbCodedJpeg(), (byte) 0);
        rgbCoded = new GeneratedInstance(plain.studyUid(), plain.seriesUid(), plain.sopInstanceUid(), plain.sopClassUid(),
                plain.transferSyntaxUid(), SIZE, SIZE, 2, plain.part10(), List.of(frame, frame));
        jfif = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 1, SIZE, true);
        List<GeneratedInstance> slides = List.of(rgbCoded, jfif);
        store.answerMetadata(path -> {
            GeneratedInstance slide = FakeStoreSlides.held(slides, path);
            return Answer.of(200, "application/dicom+json",
                    FakeStoreSlides.metadata(slide, slide == rgbCoded ? "RGB" : "YBR_FULL_422", ""));
        });
        store.answerFrames(path -> FakeStoreSlides.storedFrames(FakeStoreSlides.held(slides, path), path, "image/jpeg"));
    }

    /**
     * Two colours side by side, written by ImageIO as RGB (its Adobe transform 0, 4:4:4), then the Adobe segment
     * taken out: components 1, 2, 3 hold R, G, B and no marker says so.
     */
    private static byte[] rgbCodedJpeg() throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                image.setRGB(x, y, x < SIZE / 2 ? LEFT : RIGHT);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
        String format = "javax_imageio_jpeg_image_1.0";
        Node root = metadata.getAsTree(format);
        Node variety = root.getFirstChild();
        while (variety.hasChildNodes()) {
            variety.removeChild(variety.getFirstChild()); // no JFIF
        }
        Node markers = root.getLastChild();
        IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
        adobe.setAttribute("transform", "0");
        markers.appendChild(adobe);
        for (Node n = markers.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals("sof")) {
                for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                    ((IIOMetadataNode) c).setAttribute("HsamplingFactor", "1");
                    ((IIOMetadataNode) c).setAttribute("VsamplingFactor", "1");
                }
            }
        }
        metadata.setFromTree(format, root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        // SOI, then APP14 "Adobe" (FF EE, its length): cut it out
        assertTrue((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xEE, "ImageIO wrote the Adobe segment first");
        int length = (jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF;
        byte[] bare = new byte[jpeg.length - 2 - length];
        System.arraycopy(jpeg, 0, bare, 0, 2);
        System.arraycopy(jpeg, 4 + length, bare, 2, jpeg.length - 4 - length);
        return bare;
    }

    private String rendered(GeneratedInstance slide, String frames) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frames) + "/rendered";
    }

    private static void assertNear(int expected, int actual, String where) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = expected >> shift & 0xFF;
            int a = actual >> shift & 0xFF;
            assertTrue(Math.abs(e - a) <= 8, where + ": expected " + Integer.toHexString(expected) + ", was "
                    + Integer.toHexString(actual & 0xFFFFFF));
        }
    }

    @Test
    void anRgbCodedFrameAskedAsJpegShowsItsColoursToAnyJpegReader() throws Exception {
        HttpResponse<byte[]> jpeg = get(rendered(rgbCoded, "1"), "Accept", "image/jpeg");
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage shown = ImageIO.read(new java.io.ByteArrayInputStream(jpeg.body()));
        assertNear(LEFT, shown.getRGB(4, SIZE / 2), "left");
        assertNear(RIGHT, shown.getRGB(SIZE - 5, SIZE / 2), "right");
    }

    @Test
    void aJfifFrameAskedAsJpegWithNothingToChangeIsTheStoredImage() throws Exception {
        HttpResponse<byte[]> jpeg = get(rendered(jfif, "2"), "Accept", "image/jpeg");
        assertEquals(200, jpeg.statusCode(), new String(jpeg.body()));
        byte[] stored = jfif.frames().get(1);
        assertTrue(Arrays.equals(stored, jpeg.body())
                || Arrays.equals(Arrays.copyOf(stored, stored.length - 1), jpeg.body()), "the stored bytes");
    }
}
