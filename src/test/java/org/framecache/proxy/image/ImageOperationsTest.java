package org.framecache.proxy.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.image.RenderParameters.Viewport;
import org.junit.jupiter.api.Test;

/** The operations' own rules: aliasing, native layouts, colour markers, profiles, refusals. No external tool. */
class ImageOperationsTest {
    private final ImageOperations ops = new ImageOperations();

    static RenderParameters params(int downsample, Interpolation interpolation, Viewport viewport, IccProfile icc,
            boolean embed) {
        return new RenderParameters(95, downsample, interpolation, viewport, icc, embed);
    }

    /**
     * A zone plate shrunk by 4: where the source frequency is beyond 1.5 times the output's Nyquist frequency, a
     * filter that does not alias leaves a flat grey; nearest (no filter) keeps full-contrast false rings, which shows
     * the measure sees aliasing.
     */
    @Test
    void downsamplingAZonePlateDoesNotAlias() {
        BufferedImage zone = TestImages.zonePlate(512, 512);
        assertTrue(aliasing(zone, Interpolation.NEAREST) > 60, "the measure must see nearest's aliasing");
        assertTrue(aliasing(zone, Interpolation.AREA) < 12, "area: " + aliasing(zone, Interpolation.AREA));
        assertTrue(aliasing(zone, Interpolation.LINEAR) < 6, "linear: " + aliasing(zone, Interpolation.LINEAR));
        assertTrue(aliasing(zone, Interpolation.CUBIC) < 6, "cubic: " + aliasing(zone, Interpolation.CUBIC));
        assertTrue(aliasing(zone, Interpolation.LANCZOS4) < 6, "lanczos4: " + aliasing(zone, Interpolation.LANCZOS4));
    }

    /** RMS distance from mid-grey of the red channel where the source frequency exceeds 1.5 x the new Nyquist */
    private double aliasing(BufferedImage zone, Interpolation interpolation) {
        int n = 4;
        BufferedImage out = ops.apply(zone, null, params(n, interpolation, null, IccProfile.NO, false));
        double rMax = Math.hypot(zone.getWidth(), zone.getHeight());
        double sum = 0;
        int count = 0;
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                double r = Math.hypot((x + 0.5) * n, (y + 0.5) * n);
                double frequency = r / rMax; // cycles a source pixel (see TestImages.zonePlate)
                if (frequency > 1.5 * 0.5 / n) {
                    double d = (out.getRGB(x, y) >> 16 & 0xFF) - 127.5;
                    sum += d * d;
                    count++;
                }
            }
        }
        return Math.sqrt(sum / count);
    }

    @Test
    void downsampleSizesAsTheReferenceDoes() {
        BufferedImage image = TestImages.texture(250, 237);
        BufferedImage out = ops.apply(image, null, params(4, Interpolation.AREA, null, IccProfile.NO, false));
        assertEquals(62, out.getWidth());
        assertEquals(59, out.getHeight());
        BufferedImage tiny = ops.apply(image, null, params(1000, Interpolation.CUBIC, null, IccProfile.NO, false));
        assertEquals(1, tiny.getWidth());
        assertEquals(1, tiny.getHeight());
        assertSame(image, ops.apply(image, null, params(1, Interpolation.AREA, null, IccProfile.NO, true)));
    }

    @Test
    void greyStaysGreyThroughGeometry() {
        BufferedImage gray = TestImages.grayTexture(64, 64);
        BufferedImage out = ops.apply(gray, null, params(2, Interpolation.LANCZOS4, new Viewport(16, 16, false, 0, 0, 0, 0),
                IccProfile.NO, false));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, out.getType());
        assertEquals(16, out.getWidth());
    }

    @Test
    void viewportRefusesRegionsOutsideTheFrameAndHugeOutputs() {
        BufferedImage image = TestImages.texture(100, 80);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> ops.apply(image, null,
                params(1, Interpolation.AREA, new Viewport(10, 10, true, 90, 0, 20, 10), IccProfile.NO, false)));
        assertTrue(outside.getMessage().contains("not inside"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ops.apply(image, null,
                params(1, Interpolation.AREA, new Viewport(10, 10, true, 5, 0, -10, 10), IccProfile.NO, false)));
        assertThrows(IllegalArgumentException.class, () -> ops.apply(image, null,
                params(1, Interpolation.AREA, new Viewport(10, 10, true, 0, 0, 0, 10), IccProfile.NO, false)));
        assertThrows(IllegalArgumentException.class, () -> ops.apply(image, null,
                params(1, Interpolation.AREA, new Viewport(100_000, 80_000, false, 0, 0, 0, 0), IccProfile.NO, false)));
    }

    @Test
    void viewportFitsKeepingTheAspectRatioAndEnlarges() {
        BufferedImage image = TestImages.texture(100, 80);
        BufferedImage out = ops.apply(image, null,
                params(1, Interpolation.AREA, new Viewport(300, 300, false, 0, 0, 0, 0), IccProfile.NO, false));
        assertEquals(300, out.getWidth());
        assertEquals(240, out.getHeight());
    }

    @Test
    void outputProfileFollowsIccprofileAndEmbed() {
        byte[] source = IccProfiles.ADOBE_RGB;
        assertNull(ops.outputIccProfile(source, params(1, Interpolation.AREA, null, IccProfile.NO, true)));
        assertArrayEquals(source, ops.outputIccProfile(source, params(1, Interpolation.AREA, null, IccProfile.YES, true)));
        assertNull(ops.outputIccProfile(null, params(1, Interpolation.AREA, null, IccProfile.YES, true)));
        assertArrayEquals(IccProfiles.SRGB, ops.outputIccProfile(source, params(1, Interpolation.AREA, null, IccProfile.SRGB, true)));
        assertArrayEquals(IccProfiles.DISPLAY_P3,
                ops.outputIccProfile(null, params(1, Interpolation.AREA, null, IccProfile.DISPLAYP3, true)));
        assertNull(ops.outputIccProfile(source, params(1, Interpolation.AREA, null, IccProfile.SRGB, false)));
    }

    @Test
    void iccNoAndYesLeavePixelsAndAGarbageProfileIsAClearError() {
        BufferedImage image = TestImages.patches(32, 24);
        assertSame(image, ops.apply(image, IccProfiles.ADOBE_RGB, params(1, Interpolation.AREA, null, IccProfile.YES, true)));
        assertSame(image, ops.apply(image, IccProfiles.ADOBE_RGB, params(1, Interpolation.AREA, null, IccProfile.NO, true)));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ops.apply(image, new byte[] {1, 2, 3},
                params(1, Interpolation.AREA, null, IccProfile.SRGB, true)));
        assertTrue(e.getMessage().contains("ICC"), e.getMessage());
        BufferedImage gray = TestImages.grayTexture(16, 16);
        BufferedImage p3 = ops.apply(gray, null, params(1, Interpolation.AREA, null, IccProfile.DISPLAYP3, true));
        assertEquals(BufferedImage.TYPE_INT_RGB, p3.getType());
    }

    @Test
    void oneInstanceServesThreadsAtOnceWithTheSameResults() throws Exception {
        BufferedImage image = TestImages.texture(128, 96);
        RenderParameters p = params(2, Interpolation.CUBIC, new Viewport(50, 50, true, 60, 0, -60, 40),
                IccProfile.DISPLAYP3, true);
        int[] expected = Pixels.of(ops.apply(image, IccProfiles.ADOBE_RGB, p)).data();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<int[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> Pixels.of(ops.apply(image, IccProfiles.ADOBE_RGB, p)).data()));
            }
            for (java.util.concurrent.Future<int[]> r : results) {
                assertArrayEquals(expected, r.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** provenance: the bundled profiles are colord's CC0 files unchanged (.ci/run installs colord-data) */
    @Test
    void bundledProfilesAreColordsOwn() throws IOException {
        java.nio.file.Path colord = java.nio.file.Path.of("/usr/share/color/icc/colord");
        assertArrayEquals(java.nio.file.Files.readAllBytes(colord.resolve("sRGB.icc")), IccProfiles.SRGB);
        assertArrayEquals(java.nio.file.Files.readAllBytes(colord.resolve("AdobeRGB1998.icc")), IccProfiles.ADOBE_RGB);
    }

    @Test
    void generatedDisplayP3IsAValidV4DisplayProfile() {
        ICC_Profile p = ICC_Profile.getInstance(IccProfiles.DISPLAY_P3);
        assertEquals(ICC_Profile.CLASS_DISPLAY, p.getProfileClass());
        assertEquals(4, p.getMajorVersion());
        assertEquals(IccProfiles.DISPLAY_P3.length, java.nio.ByteBuffer.wrap(IccProfiles.DISPLAY_P3).getInt(0));
    }

    // ---- native frames ----

    @Test
    void nativeRgbPlanarAndInterleavedGiveTheSamePixels() throws IOException {
        int w = 5;
        int h = 3;
        byte[] interleaved = new byte[w * h * 3];
        byte[] planar = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                byte v = (byte) (i * 17 + c * 80);
                interleaved[3 * i + c] = v;
                planar[c * w * h + i] = v;
            }
        }
        NativeFrameDecoder d = new NativeFrameDecoder();
        BufferedImage a = d.decode(interleaved, new PixelFormat(h, w, 3, 8, 8, "RGB", 0, false));
        BufferedImage b = d.decode(planar, new PixelFormat(h, w, 3, 8, 8, "RGB", 1, false));
        for (int i = 0; i < w * h; i++) {
            int expected = (interleaved[3 * i] & 0xFF) << 16 | (interleaved[3 * i + 1] & 0xFF) << 8 | interleaved[3 * i + 2] & 0xFF;
            assertEquals(expected, a.getRGB(i % w, i / w) & 0xFFFFFF);
            assertEquals(expected, b.getRGB(i % w, i / w) & 0xFFFFFF);
        }
    }

    @Test
    void sixteenBitSignedMonochromeIsMaskedToBitsStoredAndScaledFromMinToMax() throws IOException {
        // 12 bits stored, signed: -2048, 0, 2047 with junk in the 4 high bits; MONOCHROME1 inverts
        short[] values = {(short) (0xF000 | 0x800), (short) 0xA000, (short) (0x5000 | 0x7FF), 0x0400};
        byte[] frame = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            frame[2 * i] = (byte) values[i];
            frame[2 * i + 1] = (byte) (values[i] >> 8);
        }
        NativeFrameDecoder d = new NativeFrameDecoder();
        BufferedImage m2 = d.decode(frame, new PixelFormat(1, 4, 1, 16, 12, "MONOCHROME2", 0, true));
        assertEquals(0, m2.getRaster().getSample(0, 0, 0));
        assertEquals(Math.round(2048 * 255 / 4095.0), m2.getRaster().getSample(1, 0, 0));
        assertEquals(255, m2.getRaster().getSample(2, 0, 0));
        assertEquals(Math.round(3072 * 255 / 4095.0), m2.getRaster().getSample(3, 0, 0));
        BufferedImage m1 = d.decode(frame, new PixelFormat(1, 4, 1, 16, 12, "MONOCHROME1", 0, true));
        assertEquals(255, m1.getRaster().getSample(0, 0, 0));
        assertEquals(0, m1.getRaster().getSample(2, 0, 0));
    }

    @Test
    void eightBitUnsignedMonochromeIsTakenAsItIs() throws IOException {
        byte[] frame = {0, 7, (byte) 200, (byte) 255};
        BufferedImage g = new NativeFrameDecoder().decode(frame, new PixelFormat(2, 2, 1, 8, 8, "MONOCHROME2", 0, false));
        assertEquals(7, g.getRaster().getSample(1, 0, 0));
        assertEquals(200, g.getRaster().getSample(0, 1, 0));
    }

    @Test
    void hostileNativeFramesAreRefused() {
        NativeFrameDecoder d = new NativeFrameDecoder();
        IOException shortFrame = assertThrows(IOException.class,
                () -> d.decode(new byte[10], new PixelFormat(4, 4, 3, 8, 8, "RGB", 0, false)));
        assertTrue(shortFrame.getMessage().contains("needs 48"), shortFrame.getMessage());
        assertThrows(IOException.class, () -> d.decode(new byte[10], new PixelFormat(100_000, 100_000, 1, 8, 8,
                "MONOCHROME2", 0, false)));
        assertThrows(IOException.class, () -> d.decode(new byte[48], new PixelFormat(4, 4, 3, 8, 8, "PALETTE COLOR", 0,
                false)));
    }

    // ---- JPEG ----

    @Test
    void threeComponentJpegColoursAreDecidedByMarkersThenByPhotometric() {
        int[] ids = {1, 2, 3};
        assertTrue(new JpegHeader(8, 1, 1, ids, false, 0).isRgb("YBR_FULL_422"), "Adobe transform 0 is RGB");
        assertTrue(!new JpegHeader(8, 1, 1, ids, false, 1).isRgb("RGB"), "Adobe transform 1 is YCbCr");
        assertTrue(!new JpegHeader(8, 1, 1, ids, true, JpegHeader.NO_ADOBE).isRgb("RGB"), "JFIF is YCbCr");
        assertTrue(new JpegHeader(8, 1, 1, new int[] {'R', 'G', 'B'}, false, JpegHeader.NO_ADOBE).isRgb(null));
        assertTrue(new JpegHeader(8, 1, 1, ids, false, JpegHeader.NO_ADOBE).isRgb("RGB"));
        assertTrue(!new JpegHeader(8, 1, 1, ids, false, JpegHeader.NO_ADOBE).isRgb("YBR_FULL_422"));
    }

    @Test
    void malformedJpegFramesAreIoErrors() throws IOException {
        JdkJpegDecoder d = new JdkJpegDecoder();
        assertThrows(IOException.class, () -> d.decode(new byte[] {1, 2, 3, 4}, null));
        byte[] jpeg = new JpegEncoder().encode(TestImages.patches(32, 24), 90, null);
        byte[] truncated = java.util.Arrays.copyOf(jpeg, 40);
        assertThrows(IOException.class, () -> d.decode(truncated, null));
        IOException wrongSize = assertThrows(IOException.class,
                () -> d.decode(jpeg, new PixelFormat(10, 10, 3, 8, 8, "YBR_FULL_422", 0, false)));
        assertTrue(wrongSize.getMessage().contains("32x24"), wrongSize.getMessage());
    }

    // ---- registry ----

    @Test
    void codecsAreFoundWithServiceLoaderAndWorkHere() {
        ImageCodecs codecs = new ImageCodecs();
        for (String ts : new String[] {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2"}) {
            assertTrue(codecs.decoder(ts).isPresent(), ts);
        }
        for (String type : new String[] {"image/jpeg", "image/png", "image/gif", "image/webp"}) {
            Optional<ImageEncoder> e = codecs.encoder(type);
            assertTrue(e.isPresent(), type);
        }
    }

    @Test
    void gifAndWebpEncodeGreyAndColour() throws IOException {
        for (BufferedImage image : new BufferedImage[] {TestImages.grayTexture(40, 30), TestImages.patches(40, 30)}) {
            byte[] gif = new GifEncoder().encode(image, 95, IccProfiles.SRGB);
            assertEquals("GIF89a", new String(gif, 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
            byte[] webp = new WebpEncoder().encode(image, 80, null);
            assertEquals("WEBP", new String(webp, 8, 4, java.nio.charset.StandardCharsets.US_ASCII));
            BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(gif));
            assertEquals(40, back.getWidth());
        }
    }
}
