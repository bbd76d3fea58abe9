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
 * Multi-frame instances whose frames are {@link TilePainter} tiles compressed here by the codecs' own command-line
 * tools (Debian libopenjp2-tools, openjph-tools, libjxl-tools), for stored syntaxes the test store cannot render:
 * JPEG 2000 lossless (.4.90, {@code opj_compress}), HTJ2K lossless (.4.201, {@code ojph_compress}), JPEG XL lossless
 * (.4.110, {@code cjxl -d 0}) and JPEG XL recompressed from a baseline JPEG tile (.4.111, {@code cjxl}, whose
 * {@link #recompressedJpeg} is the JPEG it came from). Lossless frames decode to {@link #pixels} exactly.
 */
public final class EncodedSlides {
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201";
    public static final String JPEG_XL_LOSSLESS = "1.2.840.10008.1.2.4.110";
    public static final String JPEG_XL_RECOMPRESSION = "1.2.840.10008.1.2.4.111";

    private EncodedSlides() {
    }

    /** The RGB bytes (interleaved) of tile {@code index}: what a lossless frame {@code index + 1} decodes to. */
    public static byte[] pixels(int index, int size) {
        return TilePainter.paintRgbBytes(index, size, size);
    }

    /** The baseline JPEG of tile {@code index} that frame {@code index + 1} of a {@link #jpegXlRecompressed} holds. */
    public static byte[] recompressedJpeg(int index, int size) {
        return SlideGenerator.encodeJpeg(index, size);
    }

    public static GeneratedInstance jpeg2000Lossless(String studyUid, String seriesUid, int frames, int size) {
        return build(studyUid, seriesUid, frames, size, JPEG_2000_LOSSLESS, "RGB",
                (work, i) -> fromPpm(work, i, size, "tile.j2k", "opj_compress", "-i", "%in", "-o", "%out", "-mct", "0"));
    }

    public static GeneratedInstance htj2kLossless(String studyUid, String seriesUid, int frames, int size) {
        return build(studyUid, seriesUid, frames, size, HTJ2K_LOSSLESS, "RGB",
                (work, i) -> fromPpm(work, i, size, "tile.j2c", "ojph_compress", "-i", "%in", "-o", "%out",
                        "-reversible", "true", "-colour_trans", "false"));
    }

    public static GeneratedInstance jpegXlLossless(String studyUid, String seriesUid, int frames, int size) {
        return build(studyUid, seriesUid, frames, size, JPEG_XL_LOSSLESS, "RGB",
                (work, i) -> fromPpm(work, i, size, "tile.jxl", "cjxl", "%in", "%out", "-d", "0"));
    }

    public static GeneratedInstance jpegXlRecompressed(String studyUid, String seriesUid, int frames, int size) {
        return build(studyUid, seriesUid, frames, size, JPEG_XL_RECOMPRESSION, "YBR_FULL_422", (work, i) -> {
            Path in = work.resolve("tile.jpg");
            Files.write(in, recompressedJpeg(i, size));
            return run(work, in, "tile.jxl", "cjxl", "%in", "%out", "--lossless_jpeg=1");
        });
    }

    private interface TileEncoder {
        byte[] encode(Path work, int index) throws IOException, InterruptedException;
    }

    private static GeneratedInstance build(String studyUid, String seriesUid, int frames, int size, String syntax,
                                           String photometric, TileEncoder encoder) {
        Path work;
        try {
            work = Files.createTempDirectory("encoded-slide-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<byte[]> fragments = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                fragments.add(DicomWriter.pad(encoder.encode(work, i), (byte) 0));
            }
            String sop = SlideGenerator.newUid();
            DicomWriter w = new DicomWriter(true, frames * size * size + 4096)
                    .uid(0x00080016, SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY)
                    .uid(0x00080018, sop)
                    .text(0x00080060, "CS", "SM")
                    .text(0x00100010, "PN", "Test^Encoded")
                    .text(0x00100020, "LO", "FRAMECACHE-ENC")
                    .uid(0x0020000D, studyUid)
                    .uid(0x0020000E, seriesUid)
                    .text(0x00209311, "CS", "TILED_FULL")
                    .us(0x00280002, 3)
                    .text(0x00280004, "CS", photometric)
                    .us(0x00280006, 0)
                    .text(0x00280008, "IS", Integer.toString(frames))
                    .us(0x00280010, size)
                    .us(0x00280011, size)
                    .us(0x00280100, 8)
                    .us(0x00280101, 8)
                    .us(0x00280102, 7)
                    .us(0x00280103, 0)
                    .text(0x00282110, "CS", JPEG_XL_RECOMPRESSION.equals(syntax) ? "01" : "00")
                    .ul(0x00480006, (long) frames * size)
                    .ul(0x00480007, size)
                    .encapsulatedPixelData(fragments, true);
            byte[] file = DicomWriter.part10File(SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY, sop, syntax, w.toByteArray());
            return new GeneratedInstance(studyUid, seriesUid, sop, SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY, syntax, size,
                    size, frames, file, List.copyOf(fragments));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            try (var files = Files.list(work)) {
                files.forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
            work.toFile().delete();
        }
    }

    /** Tile {@code index} written as a binary PPM and compressed by {@code command} ({@code %in}, {@code %out}). */
    private static byte[] fromPpm(Path work, int index, int size, String outName, String... command)
            throws IOException, InterruptedException {
        Path in = work.resolve("tile.ppm");
        byte[] rgb = pixels(index, size);
        byte[] header = ("P6\n" + size + " " + size + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] ppm = new byte[header.length + rgb.length];
        System.arraycopy(header, 0, ppm, 0, header.length);
        System.arraycopy(rgb, 0, ppm, header.length, rgb.length);
        Files.write(in, ppm);
        return run(work, in, outName, command);
    }

    /** Runs {@code command} with {@code %in} and {@code %out} standing for the input file and {@code outName}. */
    private static byte[] run(Path work, Path in, String outName, String... command)
            throws IOException, InterruptedException {
        Path out = work.resolve(outName);
        Files.deleteIfExists(out);
        String[] line = command.clone();
        for (int i = 0; i < line.length; i++) {
            if (line[i].equals("%in")) {
                line[i] = in.toString();
            } else if (line[i].equals("%out")) {
                line[i] = out.toString();
            }
        }
        Path log = work.resolve("tool.log");
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException(line[0] + " is needed (Debian libopenjp2-tools, openjph-tools or libjxl-tools)", e);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(line[0] + " failed: " + Files.readString(log));
        }
        return Files.readAllBytes(out);
    }
}
