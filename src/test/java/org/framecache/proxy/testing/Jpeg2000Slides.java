package org.framecache.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A multi-frame JPEG 2000 lossless (.4.90) instance whose frames are {@link TilePainter} tiles compressed here by
 * {@code opj_compress} (Debian libopenjp2-tools), without a colour transform (PhotometricInterpretation RGB): decoding a
 * frame gives back {@link #pixels} exactly.
 */
public final class Jpeg2000Slides {
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";

    private Jpeg2000Slides() {
    }

    /** The RGB bytes (interleaved) of tile {@code index}: what frame {@code index + 1} decodes to. */
    public static byte[] pixels(int index, int size) {
        return TilePainter.paintRgbBytes(index, size, size);
    }

    public static GeneratedInstance lossless(String studyUid, String seriesUid, int frames, int size) {
        Path work;
        try {
            work = Files.createTempDirectory("j2k-slide-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<byte[]> fragments = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                fragments.add(DicomWriter.pad(compress(work, pixels(i, size), size), (byte) 0));
            }
            String sop = SlideGenerator.newUid();
            DicomWriter w = new DicomWriter(true, frames * size * size + 4096)
                    .uid(0x00080016, SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY)
                    .uid(0x00080018, sop)
                    .text(0x00080060, "CS", "SM")
                    .text(0x00100010, "PN", "Test^Jpeg2000")
                    .text(0x00100020, "LO", "FRAMECACHE-J2K")
                    .uid(0x0020000D, studyUid)
                    .uid(0x0020000E, seriesUid)
                    .text(0x00209311, "CS", "TILED_FULL")
                    .us(0x00280002, 3)
                    .text(0x00280004, "CS", "RGB")
                    .us(0x00280006, 0)
                    .text(0x00280008, "IS", Integer.toString(frames))
                    .us(0x00280010, size)
                    .us(0x00280011, size)
                    .us(0x00280100, 8)
                    .us(0x00280101, 8)
                    .us(0x00280102, 7)
                    .us(0x00280103, 0)
                    .text(0x00282110, "CS", "00")
                    .ul(0x00480006, (long) frames * size)
                    .ul(0x00480007, size)
                    .encapsulatedPixelData(fragments, true);
            byte[] file = DicomWriter.part10File(SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY, sop, JPEG_2000_LOSSLESS,
                    w.toByteArray());
            return new GeneratedInstance(studyUid, seriesUid, sop, SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY,
                    JPEG_2000_LOSSLESS, size, size, frames, file, List.copyOf(fragments));
        } finally {
            try (var files = Files.list(work)) {
                files.forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
            work.toFile().delete();
        }
    }

    /** One RGB tile as a raw JPEG 2000 codestream, reversible 5/3 wavelet, no multi-component transform. */
    private static byte[] compress(Path work, byte[] rgb, int size) {
        try {
            Path in = work.resolve("tile.ppm");
            Path out = work.resolve("tile.j2k");
            byte[] header = ("P6\n" + size + " " + size + "\n255\n").getBytes(StandardCharsets.US_ASCII);
            byte[] ppm = new byte[header.length + rgb.length];
            System.arraycopy(header, 0, ppm, 0, header.length);
            System.arraycopy(rgb, 0, ppm, header.length, rgb.length);
            Files.write(in, ppm);
            Files.deleteIfExists(out);
            Process process = new ProcessBuilder("opj_compress", "-i", in.toString(), "-o", out.toString(), "-mct", "0")
                    .redirectErrorStream(true).redirectOutput(work.resolve("opj.log").toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("opj_compress failed: " + Files.readString(work.resolve("opj.log")));
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException("opj_compress (Debian libopenjp2-tools) is needed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
