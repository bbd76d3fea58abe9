package org.framecache.proxy.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.image.RenderParameters.Viewport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image operations against independent references made here, at test time, by Debian's OpenCV, Pillow (libjpeg,
 * LittleCMS 2) and dwebp ({@code src/test/resources/image/golden.py}, run once for the class with /usr/bin/python3):
 * pixel-exact where the path is lossless, PSNR for lossy output, within 1 for colour transforms.
 */
class ImageGoldenTest {
    static final int[] QUALITIES = {1, 10, 50, 75, 95, 100};

    @TempDir
    static Path dir;

    static BufferedImage zone;
    static BufferedImage odd;
    static BufferedImage gray;
    static BufferedImage patches;
    static BufferedImage smooth;
    static final ImageOperations OPS = new ImageOperations();

    @BeforeAll
    static void makeInputsAndReferences() throws Exception {
        zone = TestImages.zonePlate(240, 240);
        odd = TestImages.texture(250, 237);
        gray = TestImages.grayTexture(250, 237);
        patches = TestImages.patches(96, 64);
        smooth = TestImages.smooth(96, 64);
        write("smooth.rgb", TestImages.rgbBytes(smooth));
        write("zone.rgb", TestImages.rgbBytes(zone));
        write("odd.rgb", TestImages.rgbBytes(odd));
        write("gray.g", TestImages.grayBytes(gray));
        write("patches.rgb", TestImages.rgbBytes(patches));
        JpegEncoder jpeg = new JpegEncoder();
        for (int q : QUALITIES) {
            write("java_q" + q + ".jpg", jpeg.encode(patches, q, null));
        }
        write("java_icc.jpg", jpeg.encode(patches, 90, IccProfiles.DISPLAY_P3));
        write("java_icc.png", new PngEncoder().encode(patches, 95, IccProfiles.DISPLAY_P3));
        write("java_q90.webp", new WebpEncoder().encode(smooth, 90, IccProfiles.DISPLAY_P3));
        write("srgb.icc", IccProfiles.SRGB);
        write("adobergb.icc", IccProfiles.ADOBE_RGB);
        write("p3.icc", IccProfiles.DISPLAY_P3);
        write("ybr.raw", TestImages.rgbBytes(odd)); // any bytes are a YCbCr image
        python("golden.py");
    }

    // ---- downsampling ----

    @Test
    void areaEqualsOpenCvForWholeFactors() throws IOException {
        for (int n : new int[] {2, 3, 4}) {
            BufferedImage ours = OPS.apply(zone, null, params(n, Interpolation.AREA, null, IccProfile.NO));
            assertPixels(rgb("area" + n + ".rgb", 240 / n, 240 / n), ours, 0, "area " + n);
        }
    }

    @Test
    void areaIsWithinOneOfOpenCvWhenTheFactorDoesNotDivide() throws IOException {
        BufferedImage ours = OPS.apply(odd, null, params(3, Interpolation.AREA, null, IccProfile.NO));
        assertPixels(rgb("area_odd3.rgb", 83, 79), ours, 1, "area 3 of 250x237");
    }

    @Test
    void nearestEqualsOpenCv() throws IOException {
        BufferedImage ours = OPS.apply(odd, null, params(3, Interpolation.NEAREST, null, IccProfile.NO));
        assertPixels(rgb("nearest_odd3.rgb", 83, 79), ours, 0, "nearest");
    }

    @Test
    void kernelsEqualPillow() throws IOException {
        Pixels in = Pixels.of(odd);
        assertPixels(rgb("pil_linear.rgb", 83, 79),
                KernelResample.resize(in, 83, 79, KernelResample.Kernel.LINEAR).toImage(), 0, "linear");
        assertPixels(rgb("pil_cubic.rgb", 83, 79),
                KernelResample.resize(in, 83, 79, KernelResample.Kernel.CUBIC).toImage(), 0, "cubic");
        assertPixels(rgb("pil_lanczos3.rgb", 83, 79),
                KernelResample.resize(in, 83, 79, KernelResample.Kernel.LANCZOS3).toImage(), 0, "lanczos3");
        assertPixels(gray("pil_cubic_gray.g", 83, 79),
                KernelResample.resize(Pixels.of(gray), 83, 79, KernelResample.Kernel.CUBIC).toImage(), 0, "grey cubic");
        assertPixels(rgb("pil_cubic_up.rgb", 150, 100),
                KernelResample.resize(Pixels.of(patches), 150, 100, KernelResample.Kernel.CUBIC).toImage(), 0,
                "cubic enlarging");
        BufferedImage cubic = OPS.apply(odd, null, params(3, Interpolation.CUBIC, null, IccProfile.NO));
        assertPixels(rgb("pil_cubic.rgb", 83, 79), cubic, 0, "downsample=3 cubic");
    }

    // ---- viewport ----

    @Test
    void viewportCropsFlipsAndScalesAsTheStandardSays() throws IOException {
        List<Viewport> cases = List.of(new Viewport(40, 30, true, 10, 20, 40, 30), new Viewport(40, 30, true, 50, 20, -40, 30),
                new Viewport(40, 30, true, 10, 50, 40, -30), new Viewport(40, 30, true, 50, 50, -40, -30),
                new Viewport(20, 15, true, 10, 20, 40, 30), new Viewport(20, 100, true, 60, 20, -40, 30));
        for (int i = 0; i < cases.size(); i++) {
            String[] size = Files.readString(dir.resolve("viewport" + i + ".size")).split(" ");
            int w = Integer.parseInt(size[0]);
            int h = Integer.parseInt(size[1]);
            BufferedImage ours = OPS.apply(odd, null, params(1, Interpolation.AREA, cases.get(i), IccProfile.NO));
            assertPixels(rgb("viewport" + i + ".rgb", w, h), ours, 0, "viewport " + cases.get(i));
        }
    }

    // ---- JPEG ----

    @Test
    void jpegHasPillowsTablesFor444AndTheSameQuality() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("jpeg_report.txt"));
        assertEquals(QUALITIES.length, lines.size());
        for (String line : lines) {
            String pil = line.substring(line.indexOf("pil=") + 4, line.indexOf(" java="));
            String java = line.substring(line.indexOf("java=") + 5, line.indexOf(" sampling="));
            assertEquals(pil, java, line);
            assertTrue(line.endsWith("sampling=0"), "4:4:4 expected: " + line);
        }
    }

    @Test
    void jpegAtQuality95DecodesByPillowAbove40Db() throws IOException {
        double psnr = psnr(patches, rgb("java_q95.jpg.rgb", 96, 64));
        assertTrue(psnr >= 40, "PSNR " + psnr);
        double low = psnr(patches, rgb("java_q10.jpg.rgb", 96, 64));
        assertTrue(low < psnr, "quality 10 should lose more than 95: " + low);
    }

    @Test
    void jpegCarriesTheIccProfile() throws IOException {
        assertArrayEquals(IccProfiles.DISPLAY_P3, Files.readAllBytes(dir.resolve("java_icc.jpg.icc")));
    }

    @Test
    void jpegFramesDecodeAsPillowDecodesThem() throws IOException {
        JdkJpegDecoder decoder = new JdkJpegDecoder();
        PixelFormat ybr = new PixelFormat(237, 250, 3, 8, 8, "YBR_FULL_422", 0, false);
        for (String name : new String[] {"pil_420.jpg", "pil_444.jpg", "pil_nojfif.jpg"}) {
            BufferedImage ours = decoder.decode(Files.readAllBytes(dir.resolve(name)), ybr);
            assertPixels(rgb(name + ".rgb", 250, 237), ours, 0, name);
        }
        BufferedImage g = decoder.decode(Files.readAllBytes(dir.resolve("pil_gray.jpg")),
                new PixelFormat(237, 250, 1, 8, 8, "MONOCHROME2", 0, false));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.getType());
        assertPixels(gray("pil_gray.jpg.rgb", 250, 237), g, 0, "grey JPEG");
    }

    // ---- PNG, WebP ----

    @Test
    void pngIsLosslessAndCarriesTheIccProfile() throws IOException {
        assertPixels(rgb("java_icc.png.rgb", 96, 64), patches, 0, "png");
        assertArrayEquals(IccProfiles.DISPLAY_P3, Files.readAllBytes(dir.resolve("java_icc.png.icc")));
        byte[] png = Files.readAllBytes(dir.resolve("java_icc.png"));
        String text = new String(png, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("iCCP" + PngEncoder.PROFILE_NAME + "\0\0"), "named, deflate-compressed iCCP chunk");
    }

    @Test
    void webpDecodedByDwebpIsAbove40DbAsGoodAsCwebpAndCarriesTheIccProfile() throws IOException {
        double psnr = psnr(smooth, rgb("java_q90.webp.rgb", 96, 64));
        assertTrue(psnr >= 40, "PSNR " + psnr);
        double cwebp = psnr(smooth, rgb("cwebp_q90.rgb", 96, 64));
        assertTrue(psnr >= cwebp - 1, "PSNR " + psnr + " where cwebp -q 90 has " + cwebp);
        assertArrayEquals(IccProfiles.DISPLAY_P3, Files.readAllBytes(dir.resolve("java_q90.webp.icc")));
    }

    // ---- ICC ----

    @Test
    void iccTransformsEqualLittleCmsWithinOne() throws IOException {
        assertPixels(rgb("icc_srgb_adobergb.rgb", 96, 64),
                OPS.apply(patches, null, params(1, Interpolation.AREA, null, IccProfile.ADOBERGB)), 1, "sRGB to Adobe");
        assertPixels(rgb("icc_srgb_p3.rgb", 96, 64),
                OPS.apply(patches, IccProfiles.SRGB, params(1, Interpolation.AREA, null, IccProfile.DISPLAYP3)), 1,
                "sRGB to P3");
        assertPixels(rgb("icc_adobergb_srgb.rgb", 96, 64),
                OPS.apply(patches, IccProfiles.ADOBE_RGB, params(1, Interpolation.AREA, null, IccProfile.SRGB)), 1,
                "Adobe to sRGB");
        assertPixels(rgb("icc_p3_srgb.rgb", 96, 64),
                OPS.apply(patches, IccProfiles.DISPLAY_P3, params(1, Interpolation.AREA, null, IccProfile.SRGB)), 1,
                "P3 to sRGB");
    }

    @Test
    void generatedDisplayP3ProfileMatchesItsDefinition() throws IOException {
        BufferedImage ours = OPS.apply(patches, IccProfiles.SRGB, params(1, Interpolation.AREA, null, IccProfile.DISPLAYP3));
        assertPixels(rgb("p3_analytic.rgb", 96, 64), ours, 2, "sRGB to P3 by the primaries' matrices");
    }

    // ---- native ----

    @Test
    void ybrFullIsConvertedAsPillowConvertsWithinOne() throws IOException {
        BufferedImage ours = new NativeFrameDecoder().decode(TestImages.rgbBytes(odd),
                new PixelFormat(237, 250, 3, 8, 8, "YBR_FULL", 0, false));
        assertPixels(rgb("ybr.rgb", 250, 237), ours, 1, "YBR_FULL");
    }

    // ---- helpers ----

    static RenderParameters params(int downsample, Interpolation interpolation, Viewport viewport, IccProfile icc) {
        return new RenderParameters(95, downsample, interpolation, viewport, icc, true);
    }

    static void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }

    static void python(String script) throws IOException, InterruptedException {
        Path file = dir.resolve(script);
        try (InputStream in = ImageGoldenTest.class.getResourceAsStream("/image/" + script)) {
            Files.write(file, in.readAllBytes());
        }
        Process p = new ProcessBuilder("/usr/bin/python3", file.toString(), dir.toString()).redirectErrorStream(true)
                .start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, "golden.py failed (needs python3-pil python3-numpy python3-opencv webp): "
                + out);
    }

    static BufferedImage rgb(String name, int w, int h) throws IOException {
        return TestImages.fromRgbBytes(Files.readAllBytes(dir.resolve(name)), w, h);
    }

    static BufferedImage gray(String name, int w, int h) throws IOException {
        return TestImages.fromGrayBytes(Files.readAllBytes(dir.resolve(name)), w, h);
    }

    static void assertPixels(BufferedImage expected, BufferedImage actual, int tolerance, String what) {
        assertEquals(expected.getWidth() + "x" + expected.getHeight(), actual.getWidth() + "x" + actual.getHeight(),
                what + ": size");
        int worst = 0;
        String where = "";
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int a = expected.getRGB(x, y);
                int b = actual.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int diff = Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF));
                    if (diff > worst) {
                        worst = diff;
                        where = " at " + x + "," + y + ": " + Integer.toHexString(a & 0xFFFFFF) + " vs "
                                + Integer.toHexString(b & 0xFFFFFF);
                    }
                }
            }
        }
        assertTrue(worst <= tolerance, what + ": differs by " + worst + where);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    double d = (p >> shift & 0xFF) - (q >> shift & 0xFF);
                    sum += d * d;
                    n++;
                }
            }
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / (sum / n));
    }
}
