package org.framecache.proxy.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two ways {@link Part10FrameReader} hands out frames, read into a sink or located as byte ranges, walk the same
 * code apart from where the frames go: on every truncation and on random byte changes of generated files they must
 * agree, on the summary and every frame's bytes, or fail with the same message.
 */
class ReadAndLocateAgreeTest {
    private static final String STUDY = SlideGenerator.newUid();
    private static final String SERIES = SlideGenerator.newUid();

    @TempDir
    Path dir;

    static Stream<Arguments> files() {
        List<byte[]> frames = SlideGenerator.jpegWsi(STUDY, SERIES, 3, 1, 16, false).frames();
        byte[] fragmented = TestFiles.part10(TestFiles.JPEG_BASELINE, TestFiles.dataSet(true)
                .image("2.25.10", STUDY, SERIES, 3, 16, 16, 3, 8)
                .encapsulated(List.of(TestFiles.split(frames.get(0), 2), TestFiles.split(frames.get(1), 1),
                        TestFiles.split(frames.get(2), 3)), false)
                .bytes());
        return Stream.of(
                Arguments.of("JPEG, Basic Offset Table", SlideGenerator.jpegWsi(STUDY, SERIES, 2, 2, 16, true).part10()),
                Arguments.of("JPEG, no offset table", SlideGenerator.jpegWsi(STUDY, SERIES, 2, 2, 16, false).part10()),
                Arguments.of("JPEG, several fragments a frame", fragmented),
                Arguments.of("native, explicit VR", nativeFile(true)),
                Arguments.of("native, implicit VR", nativeFile(false)));
    }

    private static byte[] nativeFile(boolean explicitVr) {
        GeneratedInstance instance = SlideGenerator.nativeInstance(STUDY, SERIES, 3, 4, 6, explicitVr);
        return instance.part10();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readAndLocateAgreeOnEveryTruncation(String name, byte[] file) throws IOException {
        for (int length = 0; length <= file.length; length++) {
            assertAgree(Arrays.copyOf(file, length), "cut at " + length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readAndLocateAgreeOnChangedBytes(String name, byte[] file) throws IOException {
        Random random = new Random(14);
        int read = 0;
        for (int run = 0; run < 800; run++) {
            byte[] changed = file.clone();
            StringBuilder what = new StringBuilder("changed");
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                int at = 132 + random.nextInt(changed.length - 132); // past the preamble
                changed[at] = (byte) (random.nextInt(4) == 0 ? 0xFF : random.nextInt(256));
                what.append(' ').append(at);
            }
            if (assertAgree(changed, what.toString())) {
                read++;
            }
        }
        assertTrue(read > 0 && read < 800, read + " of 800 changed files read");
    }

    /** True when both read the file, false when both refused it. */
    private boolean assertAgree(byte[] file, String what) throws IOException {
        List<byte[]> sunk = new ArrayList<>();
        Part10Summary readSummary;
        try {
            readSummary = Part10FrameReader.read(new ByteArrayInputStream(file), (n, bytes) -> {
                assertEquals(sunk.size() + 1, n, what);
                sunk.add(bytes);
            });
        } catch (DicomFormatException e) {
            DicomFormatException located = assertThrows(DicomFormatException.class,
                    () -> Part10FrameReader.locate(new ByteArrayInputStream(file), new FrameLocations()), what);
            assertEquals(e.getMessage(), located.getMessage(), what);
            return false;
        }
        FrameLocations locations = new FrameLocations();
        assertEquals(readSummary, Part10FrameReader.locate(new ByteArrayInputStream(file), locations), what);
        assertEquals(sunk.size(), locations.frames(), what);
        Path path = dir.resolve("instance.dcm");
        Files.write(path, file);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            for (int frame = 1; frame <= sunk.size(); frame++) {
                assertEquals(sunk.get(frame - 1).length, locations.size(frame), what + ", frame " + frame);
                assertArrayEquals(sunk.get(frame - 1), locations.read(channel, frame), what + ", frame " + frame);
            }
        }
        return true;
    }
}
