package org.framecache.proxy.image.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.framecache.proxy.image.PixelFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of the JPEG 2000 and HTJ2K decoders: frames encoded by opj_compress (OpenJPEG's own tool) and
 * ojph_compress (OpenJPH, an independent HTJ2K implementation), decoded here and compared with the generated pixels
 * (lossless) and with what opj_decompress / ojph_expand make of the same codestream.
 */
class Jpeg2000DecoderTest {
    @TempDir
    static Path dir;

    private final Jpeg2000Decoder j2k = new Jpeg2000Decoder();
    private final HtJpeg2000Decoder htj2k = new HtJpeg2000Decoder();

    @BeforeAll
    static void libraryLoads() {
        assertEquals(Optional.empty(), new Jpeg2000Decoder().unavailable(), "libopenjp2-7 must be installed here");
    }

    static PixelFormat format(TestPicture p, String photometric) {
        return new PixelFormat(p.height(), p.width(), p.components(), p.bits() > 8 ? 16 : 8, p.bits(), photometric,
                0, false);
    }

    /** the picture written as PNM and compressed by a reference tool into name */
    static byte[] encode(TestPicture picture, String name, String tool, String... options) throws Exception {
        Path in = dir.resolve(name + (picture.components() == 1 ? ".pgm" : ".ppm"));
        Path out = dir.resolve(name);
        picture.writePnm(in);
        List<String> command = new ArrayList<>(List.of(tool, "-i", in.toString(), "-o", out.toString()));
        command.addAll(List.of(options));
        ReferenceTools.run(command.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    /** what a reference decoder makes of a codestream */
    static TestPicture reference(byte[] codestream, String name, int components, String tool, String... options)
            throws Exception {
        Path in = dir.resolve(name);
        Files.write(in, codestream);
        Path out = dir.resolve(name + (components == 1 ? ".out.pgm" : ".out.ppm"));
        List<String> command = new ArrayList<>(List.of(tool, "-i", in.toString(), "-o", out.toString()));
        command.addAll(List.of(options));
        ReferenceTools.run(command.toArray(String[]::new));
        return TestPicture.readPnm(out);
    }

    @Test
    void losslessRgbWithReversibleColourTransformIsPixelExact() throws Exception {
        TestPicture picture = TestPicture.generate(256, 192, 3, 8, 1);
        byte[] codestream = encode(picture, "rgb8.j2k", "opj_compress");
        BufferedImage decoded = j2k.decode(codestream, format(picture, "YBR_RCT"));
        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
        assertEquals(0, picture.maxDifference(TestPicture.of(decoded)));
        assertEquals(0, reference(codestream, "rgb8.j2k", 3, "opj_decompress").maxDifference(TestPicture.of(decoded)));
    }

    @Test
    void losslessGrayIsPixelExactAndAnOddLengthPadByteIsHarmless() throws Exception {
        TestPicture picture = TestPicture.generate(100, 77, 1, 8, 2);
        byte[] codestream = encode(picture, "gray8.j2k", "opj_compress");
        byte[] padded = Arrays.copyOf(codestream, codestream.length + 1);
        BufferedImage decoded = j2k.decode(padded, format(picture, "MONOCHROME2"));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, decoded.getType());
        assertEquals(0, picture.maxDifference(TestPicture.of(decoded)));
    }

    @Test
    void twelveAndSixteenBitSamplesScaleLinearlyToEightBits() throws Exception {
        TestPicture gray12 = TestPicture.generate(64, 64, 1, 12, 3);
        byte[] g = encode(gray12, "gray12.j2k", "opj_compress");
        TestPicture ref12 = reference(g, "gray12.j2k", 1, "opj_decompress");
        assertEquals(0, ref12.maxDifference(gray12), "opj_decompress reads back the 12-bit samples");
        assertEquals(0, gray12.toEightBits().maxDifference(TestPicture.of(j2k.decode(g, format(gray12, "MONOCHROME2")))));

        TestPicture rgb16 = TestPicture.generate(64, 48, 3, 16, 4);
        byte[] c = encode(rgb16, "rgb16.j2k", "opj_compress");
        assertEquals(0, rgb16.toEightBits().maxDifference(TestPicture.of(j2k.decode(c, format(rgb16, "YBR_RCT")))));
    }

    @Test
    void monochromeOneIsShownInverted() throws Exception {
        TestPicture picture = TestPicture.generate(32, 32, 1, 8, 5);
        byte[] codestream = encode(picture, "mono1.j2k", "opj_compress");
        TestPicture decoded = TestPicture.of(j2k.decode(codestream, format(picture, "MONOCHROME1")));
        assertEquals(255 - picture.samples()[0][33], decoded.samples()[0][33]);
        assertEquals(255 - picture.samples()[0][1000], decoded.samples()[0][1000]);
    }

    @Test
    void lossyIrreversibleEqualsTheReferenceDecoderAndIsCloseToTheOriginal() throws Exception {
        TestPicture picture = TestPicture.generate(256, 256, 3, 8, 6);
        byte[] codestream = encode(picture, "rgb-ict.j2k", "opj_compress", "-I", "-r", "10");
        TestPicture decoded = TestPicture.of(j2k.decode(codestream, format(picture, "YBR_ICT")));
        assertEquals(0, reference(codestream, "rgb-ict.j2k", 3, "opj_decompress").maxDifference(decoded));
        double psnr = picture.psnr(decoded);
        assertTrue(psnr > 30 && psnr < 60, "lossy, and close: " + psnr + " dB");
    }

    @Test
    void aJp2FileIsReadToo() throws Exception {
        TestPicture picture = TestPicture.generate(80, 60, 3, 8, 7);
        byte[] jp2 = encode(picture, "rgb8.jp2", "opj_compress");
        assertEquals(0x6A, jp2[4] & 0xFF, "a JP2 signature box");
        assertEquals(0, picture.maxDifference(TestPicture.of(j2k.decode(jp2, format(picture, "RGB")))));
    }

    @Test
    void reducedResolutionEqualsTheReferenceDecoderAtThatLevel() throws Exception {
        TestPicture picture = TestPicture.generate(255, 130, 3, 8, 8);
        byte[] codestream = encode(picture, "reduce.j2k", "opj_compress");
        BufferedImage half = j2k.decodeReduced(codestream, format(picture, "YBR_RCT"), 1);
        assertEquals(128, half.getWidth());
        assertEquals(65, half.getHeight());
        assertEquals(0, reference(codestream, "reduce.j2k", 3, "opj_decompress", "-r", "1")
                .maxDifference(TestPicture.of(half)));
        assertThrows(IOException.class, () -> j2k.decodeReduced(codestream, format(picture, "YBR_RCT"), 9),
                "more levels than the codestream has");
    }

    @Test
    void htj2kFromOpenJphIsPixelExactLosslessAndEqualsOpenJphLossy() throws Exception {
        TestPicture rgb = TestPicture.generate(256, 200, 3, 8, 9);
        byte[] lossless = encode(rgb, "rgb8.j2c", "ojph_compress", "-reversible", "true");
        assertTrue(hasCapMarker(lossless), "an HTJ2K codestream (CAP marker, Part 15)");
        assertEquals(0, rgb.maxDifference(TestPicture.of(htj2k.decode(lossless, format(rgb, "YBR_RCT")))));

        TestPicture gray16 = TestPicture.generate(64, 64, 1, 16, 10);
        byte[] g = encode(gray16, "gray16.j2c", "ojph_compress", "-reversible", "true");
        assertEquals(0, gray16.toEightBits().maxDifference(TestPicture.of(htj2k.decode(g, format(gray16, "MONOCHROME2")))));

        byte[] lossy = encode(rgb, "rgb8-lossy.j2c", "ojph_compress", "-qstep", "0.01");
        TestPicture decoded = TestPicture.of(htj2k.decode(lossy, format(rgb, "YBR_ICT")));
        TestPicture openJph = reference(lossy, "rgb8-lossy.j2c", 3, "ojph_expand");
        assertTrue(openJph.maxDifference(decoded) <= 1, "two implementations agree within rounding: "
                + openJph.maxDifference(decoded));
        assertTrue(rgb.psnr(decoded) > 30, "close to the original: " + rgb.psnr(decoded));
    }

    /** HTJ2K (ISO/IEC 15444-15) announces itself with a CAP marker (FF50) in the main header */
    static boolean hasCapMarker(byte[] codestream) {
        for (int i = 0; i + 1 < Math.min(codestream.length, 512); i++) {
            if ((codestream[i] & 0xFF) == 0xFF && codestream[i + 1] == 0x50) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aCodestreamOfAnotherSizeThanTheInstanceSaysIsRejectedBeforeDecoding() throws Exception {
        TestPicture picture = TestPicture.generate(64, 32, 1, 8, 11);
        byte[] codestream = encode(picture, "size.j2k", "opj_compress");
        IOException e = assertThrows(IOException.class,
                () -> j2k.decode(codestream, new PixelFormat(64, 64, 1, 8, 8, "MONOCHROME2", 0, false)));
        assertTrue(e.getMessage().contains("64x32"), e.getMessage());
        assertThrows(IOException.class,
                () -> j2k.decode(codestream, new PixelFormat(32, 64, 3, 8, 8, "RGB", 0, false)), "components");
        // a SIZ marker claiming 60000 x 60000 (Xsiz, Ysiz at bytes 8..15 of the codestream)
        byte[] huge = codestream.clone();
        for (int at : new int[] {8, 12}) {
            huge[at] = 0;
            huge[at + 1] = 0;
            huge[at + 2] = (byte) 0xEA;
            huge[at + 3] = 0x60;
        }
        assertThrows(IOException.class, () -> j2k.decode(huge, format(picture, "MONOCHROME2")));
        assertThrows(IOException.class, () -> j2k.decode(huge,
                new PixelFormat(60000, 60000, 1, 8, 8, "MONOCHROME2", 0, false)), "absurd instance size");
    }

    @Test
    void truncatedAndGarbageCodestreamsAreIoExceptionsNeverACrash() throws Exception {
        TestPicture picture = TestPicture.generate(128, 128, 3, 8, 12);
        byte[] codestream = encode(picture, "hostile.j2k", "opj_compress");
        PixelFormat format = format(picture, "YBR_RCT");
        for (int length : new int[] {0, 2, 4, 20, 60, codestream.length / 3, codestream.length / 2,
                codestream.length - 3}) {
            byte[] truncated = Arrays.copyOf(codestream, length);
            assertThrows(IOException.class, () -> j2k.decode(truncated, format), "truncated to " + length);
        }
        java.util.Random random = new java.util.Random(13);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = codestream.clone();
            // keep the main header, scramble the tile data
            for (int k = 0; k < 200; k++) {
                garbage[200 + random.nextInt(garbage.length - 200)] = (byte) random.nextInt();
            }
            try {
                j2k.decode(garbage, format);
            } catch (IOException expected) {
                // either is fine: JPEG 2000 resynchronises on scrambled code blocks; no crash is the point
            }
        }
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        noise[0] = (byte) 0xFF;
        noise[1] = 0x4F;
        noise[2] = (byte) 0xFF;
        noise[3] = 0x51;
        assertThrows(IOException.class, () -> j2k.decode(noise, format));
        assertThrows(IOException.class, () -> htj2k.decode(new byte[] {1, 2, 3}, format));
        assertThrows(IOException.class, () -> j2k.decode(null, format));
    }

    @Test
    void decodesConcurrentlyWithTheSameResults() throws Exception {
        TestPicture a = TestPicture.generate(128, 128, 3, 8, 14);
        TestPicture b = TestPicture.generate(96, 64, 1, 12, 15);
        byte[] ca = encode(a, "concurrent-a.j2k", "opj_compress");
        byte[] cb = encode(b, "concurrent-b.j2k", "opj_compress");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                boolean first = i % 2 == 0;
                results.add(pool.submit(() -> first
                        ? a.maxDifference(TestPicture.of(j2k.decode(ca, format(a, "YBR_RCT"))))
                        : b.toEightBits().maxDifference(TestPicture.of(j2k.decode(cb, format(b, "MONOCHROME2"))))));
            }
            for (Future<Integer> result : results) {
                assertEquals(0, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
