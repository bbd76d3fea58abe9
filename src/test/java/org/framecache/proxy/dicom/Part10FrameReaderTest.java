package org.framecache.proxy.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Part10FrameReaderTest {

    private static final String STUDY = SlideGenerator.newUid();
    private static final String SERIES = SlideGenerator.newUid();

    // ---- generated slides ----

    @ParameterizedTest(name = "Basic Offset Table: {0}")
    @ValueSource(booleans = {true, false})
    void jpegSlideFramesAreByteIdentical(boolean withBasicOffsetTable) throws IOException {
        GeneratedInstance slide = SlideGenerator.jpegWsi(STUDY, SERIES, 4, 3, 64, withBasicOffsetTable);

        Read read = read(slide.part10());

        assertFrames(slide.frames(), read.frames);
        assertEquals(new Part10Summary(SlideGenerator.JPEG_BASELINE, slide.sopInstanceUid(), STUDY, SERIES,
                12, 64, 64, 3, 8, 12), read.summary);
    }

    @ParameterizedTest(name = "explicit VR: {0}")
    @ValueSource(booleans = {true, false})
    void nativeFramesAreSlicesOfPixelData(boolean explicitVr) throws IOException {
        GeneratedInstance instance = SlideGenerator.nativeInstance(STUDY, SERIES, 5, 16, 24, explicitVr);

        Read read = read(instance.part10());

        assertFrames(instance.frames(), read.frames);
        assertEquals(new Part10Summary(instance.transferSyntaxUid(), instance.sopInstanceUid(), STUDY, SERIES,
                5, 16, 24, 3, 8, 5), read.summary);
        assertEquals(16 * 24 * 3, read.frames.get(0).length);
    }

    // ---- fragments to frames ----

    @ParameterizedTest(name = "Basic Offset Table: {0}")
    @ValueSource(booleans = {true, false})
    void jpegFramesOfSeveralFragmentsAreConcatenated(boolean withBasicOffsetTable) throws IOException {
        List<byte[]> expected = SlideGenerator.jpegWsi(STUDY, SERIES, 4, 1, 64, false).frames();
        List<List<byte[]>> fragments = List.of(
                TestFiles.split(expected.get(0), 2),
                TestFiles.split(expected.get(1), 1),
                TestFiles.split(expected.get(2), 3),
                TestFiles.split(expected.get(3), 2));
        byte[] file = TestFiles.part10(TestFiles.JPEG_BASELINE, TestFiles.dataSet(true)
                .image("2.25.10", STUDY, SERIES, 4, 64, 64, 3, 8)
                .encapsulated(fragments, withBasicOffsetTable)
                .bytes());

        Read read = read(file);

        assertFrames(expected, read.frames);
        assertEquals(4, read.summary.framesEmitted());
        assertEquals("2.25.10", read.summary.sopInstanceUid());
    }

    @Test
    void basicOffsetTableGroupsFragmentsOfSyntaxesWithoutStartMarker() throws IOException {
        List<List<byte[]>> fragments = List.of(
                List.of(bytes(10, 1), bytes(6, 2)),
                List.of(bytes(4, 3)),
                List.of(bytes(2, 4), bytes(8, 5), bytes(12, 6)));
        byte[] file = TestFiles.part10(TestFiles.RLE, TestFiles.dataSet(true)
                .image("2.25.11", STUDY, SERIES, 3, 4, 4, 1, 8)
                .encapsulated(fragments, true)
                .bytes());

        assertFrames(fragments.stream().map(TestFiles::concat).toList(), read(file).frames);
    }

    @Test
    void singleFrameTakesAllFragments() throws IOException {
        List<byte[]> fragments = List.of(new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}, bytes(6, 1),
                new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 0, 0});
        byte[] file = TestFiles.part10(TestFiles.JPEG_2000, TestFiles.dataSet(true)
                .image("2.25.12", STUDY, SERIES, 1, 4, 4, 1, 8)
                .encapsulated(List.of(fragments), false)
                .bytes());

        Read read = read(file);

        assertFrames(List.of(TestFiles.concat(fragments)), read.frames);
        assertEquals(1, read.summary.numberOfFrames());
    }

    @Test
    void otherSyntaxesWithoutOffsetTableHaveOneFragmentPerFrame() throws IOException {
        List<List<byte[]>> frames = List.of(List.of(bytes(4, 1)), List.of(bytes(6, 2)), List.of(bytes(2, 3)));
        byte[] file = TestFiles.part10(TestFiles.RLE, TestFiles.dataSet(true)
                .image("2.25.13", STUDY, SERIES, 3, 4, 4, 1, 8)
                .encapsulated(frames, false)
                .bytes());

        assertFrames(frames.stream().map(TestFiles::concat).toList(), read(file).frames);
    }

    @Test
    void jpeg2000StartMarkerBeginsFrames() throws IOException {
        byte[] soc = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
        List<List<byte[]>> frames = List.of(
                List.of(concat(soc, bytes(4, 1)), bytes(6, 2)),
                List.of(concat(soc, bytes(2, 3))),
                List.of(soc, bytes(2, 4), bytes(2, 5)));
        byte[] file = TestFiles.part10("1.2.840.10008.1.2.4.201", TestFiles.dataSet(true)
                .image("2.25.14", STUDY, SERIES, 3, 4, 4, 1, 8)
                .encapsulated(frames, false)
                .bytes());

        assertFrames(frames.stream().map(TestFiles::concat).toList(), read(file).frames);
    }

    @Test
    void jpegXlCodestreamAndContainerBeginFrames() throws IOException {
        byte[] codestream = {(byte) 0xFF, 0x0A};
        byte[] container = {0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A};
        List<List<byte[]>> frames = List.of(
                List.of(concat(codestream, bytes(4, 1)), bytes(6, 2)),
                List.of(container, bytes(4, 3)));
        byte[] file = TestFiles.part10("1.2.840.10008.1.2.4.110", TestFiles.dataSet(true)
                .image("2.25.15", STUDY, SERIES, 2, 4, 4, 1, 8)
                .encapsulated(frames, false)
                .bytes());

        assertFrames(frames.stream().map(TestFiles::concat).toList(), read(file).frames);
    }

    @Test
    void extendedOffsetTableGroupsFragments() throws IOException {
        List<List<byte[]>> frames = List.of(
                List.of(bytes(10, 1), bytes(6, 2)),
                List.of(bytes(4, 3), bytes(4, 4)),
                List.of(bytes(2, 5), bytes(8, 6)));
        long[] lengths = frames.stream().mapToLong(f -> TestFiles.concat(f).length).toArray();

        Read read = read(withExtendedOffsetTable(frames, TestFiles.frameOffsets(frames), lengths));

        assertFrames(frames.stream().map(TestFiles::concat).toList(), read.frames);
        // Without the table the same fragments would be six frames.
        DicomFormatException withoutTable = rejects(withExtendedOffsetTable(frames, null, null));
        assertEquals("6 frames found, NumberOfFrames says 3", withoutTable.getMessage());
    }

    @Test
    void extendedOffsetTableWithoutLengthsAndWithWrongLengths() throws IOException {
        List<List<byte[]>> frames = List.of(List.of(bytes(10, 1)), List.of(bytes(4, 3), bytes(4, 4)));
        long[] offsets = TestFiles.frameOffsets(frames);

        assertEquals(2, read(withExtendedOffsetTable(frames, offsets, null)).frames.size());
        assertTrue(rejects(withExtendedOffsetTable(frames, offsets, new long[] {10, 9})).getMessage()
                .contains("Extended Offset Table Lengths"));
        assertTrue(rejects(withExtendedOffsetTable(frames, new long[] {0, 20}, null)).getMessage()
                .contains("does not point at a fragment"));
    }

    private static byte[] withExtendedOffsetTable(List<List<byte[]>> frames, long[] offsets, long[] lengths) {
        TestFiles ds = TestFiles.dataSet(true).image("2.25.16", STUDY, SERIES, frames.size(), 4, 4, 1, 8);
        if (offsets != null) {
            ds.ov(0x7FE00001, offsets);
        }
        if (lengths != null) {
            ds.ov(0x7FE00002, lengths);
        }
        return TestFiles.part10(TestFiles.RLE, ds.encapsulated(frames, false).bytes());
    }

    // ---- skipping ----

    @ParameterizedTest(name = "explicit VR: {0}")
    @ValueSource(booleans = {true, false})
    void nestedSequencesOfUndefinedLengthAreSkipped(boolean explicitVr) throws IOException {
        List<byte[]> frames = List.of(bytes(48, 1), bytes(48, 2));
        byte[] file = TestFiles.part10(explicitVr ? TestFiles.EXPLICIT : TestFiles.IMPLICIT,
                nativeWithNestedSequences(explicitVr, frames));

        Read read = read(file);

        assertFrames(frames, read.frames);
        assertEquals(new Part10Summary(explicitVr ? TestFiles.EXPLICIT : TestFiles.IMPLICIT, "2.25.20", STUDY,
                SERIES, 2, 4, 4, 3, 8, 2), read.summary);
    }

    @Test
    void nestedSequencesBeforeEncapsulatedPixelDataAreSkipped() throws IOException {
        List<byte[]> expected = SlideGenerator.jpegWsi(STUDY, SERIES, 3, 1, 32, false).frames();
        TestFiles ds = TestFiles.dataSet(true).image("2.25.21", STUDY, SERIES, 3, 32, 32, 3, 8);
        nestedSequences(ds, true);
        byte[] file = TestFiles.part10(TestFiles.JPEG_BASELINE,
                ds.encapsulated(expected.stream().map(List::of).toList(), false).bytes());

        Read read = read(file);

        assertFrames(expected, read.frames);
        assertEquals(32, read.summary.rows());
    }

    /** Rows 4, Columns 4, RGB, 2 frames; nested sequences carry decoy Rows/NumberOfFrames values. */
    private static byte[] nativeWithNestedSequences(boolean explicitVr, List<byte[]> frames) {
        TestFiles ds = TestFiles.dataSet(explicitVr).image("2.25.20", STUDY, SERIES, frames.size(), 4, 4, 3, 8);
        nestedSequences(ds, explicitVr);
        return ds.element(0x7FE00010, "OB", TestFiles.concat(frames))
                .element(0xFFFCFFFC, "OB", new byte[6]) // Data Set Trailing Padding
                .bytes();
    }

    private static void nestedSequences(TestFiles ds, boolean explicitVr) {
        byte[] definedItem = TestFiles.dataSet(explicitVr)
                .us(0x00280010, 998)
                .sequenceStart(0x0040A730).itemStart().text(0x00280008, "IS", "55").itemEnd().sequenceEnd()
                .bytes();
        ds.sequenceStart(0x00400555)
                .itemStart()
                    .text(0x00080100, "SH", "CODE")
                    .us(0x00280010, 999)
                    .sequenceStart(0x0040A730)
                        .itemStart()
                            .text(0x0040A040, "CS", "TEXT")
                            .sequenceStart(0x0040A043).sequenceEnd() // empty sequence
                        .itemEnd()
                        .item(definedItem)
                        .itemStart().itemEnd() // empty item
                    .sequenceEnd()
                    .text(0x00280008, "IS", "77")
                .itemEnd()
                .item(definedItem)
            .sequenceEnd()
            .header(0x00400560, "SQ", 0) // empty sequence of defined length
            .header(0x00400610, "SQ", definedItem.length + 8).item(definedItem);
        if (explicitVr) {
            // UN of undefined length: a sequence in Implicit VR Little Endian (PS3.5 6.2.2)
            ds.header(0x00091010, "UN", TestFiles.UNDEFINED)
                    .itemStart()
                        .raw(TestFiles.dataSet(false)
                                .us(0x00280010, 997)
                                .sequenceStart(0x00091011).itemStart().text(0x00091012, "LO", "x").itemEnd()
                                .sequenceEnd()
                                .bytes())
                    .itemEnd()
                    .sequenceEnd();
            // Icon Image Sequence whose item holds encapsulated Pixel Data (PS3.3 C.7.6.1.1.6)
            ds.sequenceStart(0x00880200)
                    .itemStart()
                        .us(0x00280010, 8)
                        .encapsulated(List.of(List.of(bytes(64, 7))), true)
                    .itemEnd()
                    .sequenceEnd();
        }
        ds.element(0x00091020, "OB", bytes(5000, 8)); // private bulk value, skipped
    }

    // ---- streaming ----

    static Stream<Arguments> files() {
        List<byte[]> frames = List.of(bytes(48, 1), bytes(48, 2));
        return Stream.of(
                Arguments.of("JPEG with BOT", SlideGenerator.jpegWsi(STUDY, SERIES, 3, 2, 32, true).part10()),
                Arguments.of("JPEG without BOT", SlideGenerator.jpegWsi(STUDY, SERIES, 3, 2, 32, false).part10()),
                Arguments.of("native implicit", SlideGenerator.nativeInstance(STUDY, SERIES, 3, 8, 8, false).part10()),
                Arguments.of("nested explicit",
                        TestFiles.part10(TestFiles.EXPLICIT, nativeWithNestedSequences(true, frames))),
                Arguments.of("nested implicit",
                        TestFiles.part10(TestFiles.IMPLICIT, nativeWithNestedSequences(false, frames))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void oneBytePerReadGivesTheSameResult(String name, byte[] file) throws IOException {
        Read whole = read(file);

        Read trickled = read(new OneByteAtATime(file));

        assertEquals(whole.summary, trickled.summary);
        assertFrames(whole.frames, trickled.frames);
    }

    @Test
    void largeSlideIsStreamedFrameByFrame() throws IOException {
        GeneratedInstance slide = SlideGenerator.jpegWsi(STUDY, SERIES, 32, 32, 256, true);
        List<byte[]> expected = slide.frames();
        byte[] file = slide.part10();
        // end of frame n (1-based) in the file: everything after it is later fragment items and the delimiter
        long[] frameEnd = new long[expected.size() + 1];
        long after = 8;
        for (int n = expected.size(); n >= 1; n--) {
            frameEnd[n] = file.length - after;
            after += 8 + expected.get(n - 1).length;
        }
        Counting counting = new Counting(new ByteArrayInputStream(file));
        AtomicInteger count = new AtomicInteger();
        long[] maxLookAhead = {0};

        long start = System.nanoTime();
        Part10Summary summary = Part10FrameReader.read(counting, (n, bytes) -> {
            assertEquals(count.incrementAndGet(), n);
            assertArrayEquals(expected.get(n - 1), bytes, "frame " + n);
            long lookAhead = counting.consumed - frameEnd[n];
            assertTrue(lookAhead >= 0, "frame " + n + " emitted before it was read");
            maxLookAhead[0] = Math.max(maxLookAhead[0], lookAhead);
        });
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("Part10FrameReader: %d frames, %d bytes read in %d ms; max look-ahead %d bytes%n",
                count.get(), file.length, elapsedMs, maxLookAhead[0]);
        assertEquals(1024, count.get());
        assertEquals(1024, summary.framesEmitted());
        assertEquals(1024, summary.numberOfFrames());
        // Each frame was handed out once the next item header was seen, never after reading further frames.
        assertTrue(maxLookAhead[0] <= 8 + DicomStream.BUFFER_SIZE, "look-ahead " + maxLookAhead[0]);
    }

    // ---- rejected input ----

    @Test
    void fileWithoutPreambleAndPrefixIsRejected() {
        byte[] file = SlideGenerator.nativeInstance(STUDY, SERIES, 1, 4, 4, true).part10();
        byte[] noPrefix = file.clone();
        noPrefix[131] = 'X';
        byte[] dataSetOnly = Arrays.copyOfRange(file, 132, file.length);

        for (byte[] bad : List.of(noPrefix, dataSetOnly, new byte[0], new byte[100])) {
            assertTrue(rejects(bad).getMessage().startsWith("not a DICOM Part 10 file"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestFiles.DEFLATED, TestFiles.BIG_ENDIAN})
    void deflatedAndBigEndianAreUnsupported(String transferSyntax) {
        byte[] file = TestFiles.part10(transferSyntax, new byte[] {0x78, (byte) 0x9C, 3, 0});
        assertEquals("unsupported transfer syntax " + transferSyntax, rejects(file).getMessage());
    }

    @Test
    void frameCountMismatchIsRejected() {
        List<List<byte[]>> three = SlideGenerator.jpegWsi(STUDY, SERIES, 3, 1, 16, false).frames().stream()
                .map(List::of).toList();

        List<byte[]> seen = new ArrayList<>();
        DicomFormatException tooFew = assertThrows(DicomFormatException.class, () -> Part10FrameReader.read(
                new ByteArrayInputStream(jpeg(three, 4, false)), (n, b) -> seen.add(b)));
        assertEquals("3 frames found, NumberOfFrames says 4", tooFew.getMessage());
        assertEquals(3, seen.size());

        seen.clear();
        DicomFormatException tooMany = assertThrows(DicomFormatException.class, () -> Part10FrameReader.read(
                new ByteArrayInputStream(jpeg(three, 2, false)), (n, b) -> seen.add(b)));
        assertEquals("3 frames found, NumberOfFrames says 2", tooMany.getMessage());
        assertEquals(2, seen.size(), "frames beyond NumberOfFrames are not emitted");

        assertEquals("Basic Offset Table has 3 entries, NumberOfFrames says 2",
                rejects(jpeg(three, 2, true)).getMessage());
        assertEquals("0 frames found, NumberOfFrames says 1", rejects(jpeg(List.of(), 1, false)).getMessage());
    }

    @Test
    void basicOffsetTableNotPointingAtFragmentsIsRejected() {
        byte[] file = TestFiles.part10(TestFiles.RLE, TestFiles.dataSet(true)
                .image("2.25.30", STUDY, SERIES, 2, 4, 4, 1, 8)
                .header(0x7FE00010, "OB", TestFiles.UNDEFINED)
                .item(new byte[] {0, 0, 0, 0, 5, 0, 0, 0}) // offsets 0 and 5: 5 is inside the first fragment
                .item(bytes(8, 1))
                .item(bytes(8, 2))
                .sequenceEnd()
                .bytes());
        assertEquals("offset table entry 2 does not point at a fragment", rejects(file).getMessage());
    }

    @Test
    void nativePixelDataShorterThanItsFramesIsRejected() {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .image("2.25.31", STUDY, SERIES, 3, 4, 4, 3, 8)
                .element(0x7FE00010, "OB", bytes(96, 1))
                .bytes());
        assertEquals("Pixel Data has 96 bytes, 3 frames of 48 bytes need 144", rejects(file).getMessage());
    }

    @Test
    void nativePixelDataWithTrailingPadByteIsAccepted() throws IOException {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .image("2.25.32", STUDY, SERIES, 3, 1, 1, 1, 8)
                .element(0x7FE00010, "OB", new byte[] {1, 2, 3, 0})
                .bytes());
        assertFrames(List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}), read(file).frames);
    }

    @Test
    void bitPackedPixelDataIsRejected() {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .image("2.25.33", STUDY, SERIES, 1, 8, 8, 1, 1)
                .element(0x7FE00010, "OB", bytes(8, 1))
                .bytes());
        assertEquals("bit-packed pixel data not supported", rejects(file).getMessage());
    }

    @Test
    void fileWithoutPixelDataIsRejected() {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .image("2.25.34", STUDY, SERIES, 1, 8, 8, 1, 8).bytes());
        assertEquals("no Pixel Data", rejects(file).getMessage());
    }

    static Stream<Arguments> smallFiles() {
        List<byte[]> frames = List.of(bytes(48, 1), bytes(48, 2));
        return Stream.of(
                Arguments.of("JPEG with BOT", SlideGenerator.jpegWsi(STUDY, SERIES, 2, 1, 16, true).part10()),
                Arguments.of("JPEG without BOT", SlideGenerator.jpegWsi(STUDY, SERIES, 2, 1, 16, false).part10()),
                Arguments.of("native explicit", SlideGenerator.nativeInstance(STUDY, SERIES, 2, 4, 4, true).part10()),
                Arguments.of("nested implicit",
                        TestFiles.part10(TestFiles.IMPLICIT, nativeWithNestedSequences(false, frames))),
                Arguments.of("nested explicit",
                        TestFiles.part10(TestFiles.EXPLICIT, nativeWithNestedSequences(true, frames))));
    }

    /** Cutting the file anywhere must fail cleanly; inside an element it must say "truncated". */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallFiles")
    void everyTruncationIsRejected(String name, byte[] file) throws IOException {
        int lastComplete = file.length;
        if (name.startsWith("nested")) {
            lastComplete -= (name.endsWith("explicit") ? 12 : 8) + 6; // the trailing padding element is optional
            assertEquals(2, read(Arrays.copyOf(file, lastComplete)).frames.size());
        }
        int truncatedMessages = 0;
        for (int cut = 0; cut < lastComplete; cut++) {
            byte[] prefix = Arrays.copyOf(file, cut);
            DicomFormatException e = assertThrows(DicomFormatException.class,
                    () -> Part10FrameReader.read(new ByteArrayInputStream(prefix), (n, b) -> { }), "cut at " + cut);
            String message = e.getMessage();
            if (message.startsWith("truncated")) {
                truncatedMessages++;
            } else if (!(cut <= 132 && message.startsWith("not a DICOM Part 10 file")
                    || message.equals("no Transfer Syntax UID in file meta information")
                    || message.equals("no Pixel Data"))) {
                fail("cut at " + cut + ": " + message);
            }
        }
        assertTrue(truncatedMessages > lastComplete / 2, truncatedMessages + " of " + lastComplete);
        for (int cut = lastComplete + 1; cut < file.length; cut++) {
            assertTrue(rejects(Arrays.copyOf(file, cut)).getMessage().startsWith("truncated"));
        }
    }

    @Test
    void truncationInsideSkippedValueIsFoundEvenWhenSkipPassesTheEnd(@TempDir Path dir) throws IOException {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .image("2.25.35", STUDY, SERIES, 1, 1, 1, 1, 8)
                .element(0x00091020, "OB", bytes(100_000, 3))
                .element(0x7FE00010, "OB", new byte[] {7, 0})
                .bytes());
        Path truncated = dir.resolve("truncated.dcm");
        Files.write(truncated, Arrays.copyOf(file, file.length - 50_000));

        // FileInputStream.skip happily skips beyond the end of the file
        try (InputStream in = Files.newInputStream(truncated); InputStream fis = new java.io.FileInputStream(truncated.toFile())) {
            assertTrue(assertThrows(DicomFormatException.class, () -> Part10FrameReader.read(fis, (n, b) -> { }))
                    .getMessage().startsWith("truncated"));
            assertTrue(assertThrows(DicomFormatException.class, () -> Part10FrameReader.read(in, (n, b) -> { }))
                    .getMessage().startsWith("truncated"));
        }
        assertArrayEquals(new byte[] {7}, read(file).frames.get(0));
    }

    @Test
    void sinkExceptionsPropagate() {
        byte[] file = SlideGenerator.nativeInstance(STUDY, SERIES, 3, 4, 4, true).part10();
        IOException e = assertThrows(IOException.class, () -> Part10FrameReader.read(new ByteArrayInputStream(file),
                (n, b) -> {
                    throw new IOException("client gone at " + n);
                }));
        assertEquals("client gone at 1", e.getMessage());
    }

    // ---- helpers ----

    private record Read(Part10Summary summary, List<byte[]> frames) {
    }

    /** Reads {@code file} and checks that locating its frames in a file and reading them back gives the same. */
    private static Read read(byte[] file) throws IOException {
        Read read = read(new ByteArrayInputStream(file));
        Path path = Files.createTempFile("located", ".dcm");
        try {
            Files.write(path, file);
            FrameLocations locations = new FrameLocations();
            Part10Summary summary;
            try (InputStream in = Files.newInputStream(path)) {
                summary = Part10FrameReader.locate(in, locations);
            }
            assertEquals(read.summary(), summary, "locate and read agree on the summary");
            assertEquals(read.frames().size(), locations.frames(), "located frames");
            try (FileChannel channel = FileChannel.open(path)) {
                for (int n = 1; n <= locations.frames(); n++) {
                    assertEquals(read.frames().get(n - 1).length, locations.size(n), "size of located frame " + n);
                    assertArrayEquals(read.frames().get(n - 1), locations.read(channel, n), "located frame " + n);
                }
            }
        } finally {
            Files.delete(path);
        }
        return read;
    }

    private static Read read(InputStream in) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        Part10Summary summary = Part10FrameReader.read(in, (n, bytes) -> {
            assertEquals(frames.size() + 1, n, "frames in order");
            frames.add(bytes);
        });
        assertEquals(frames.size(), summary.framesEmitted());
        return new Read(summary, frames);
    }

    private static DicomFormatException rejects(byte[] file) {
        DicomFormatException located = assertThrows(DicomFormatException.class,
                () -> Part10FrameReader.locate(new ByteArrayInputStream(file), new FrameLocations()));
        DicomFormatException read = assertThrows(DicomFormatException.class,
                () -> Part10FrameReader.read(new ByteArrayInputStream(file), (n, b) -> { }));
        assertEquals(read.getMessage(), located.getMessage(), "locate rejects it for the same reason");
        return read;
    }

    private static void assertFrames(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + (i + 1));
        }
    }

    private static byte[] jpeg(List<List<byte[]>> frames, int numberOfFrames, boolean withBasicOffsetTable) {
        return TestFiles.part10(TestFiles.JPEG_BASELINE, TestFiles.dataSet(true)
                .image("2.25.40", STUDY, SERIES, numberOfFrames, 16, 16, 3, 8)
                .encapsulated(frames, withBasicOffsetTable)
                .bytes());
    }

    /** {@code length} bytes counting up from {@code seed}; never starts with a codestream marker. */
    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        IntStream.range(0, length).forEach(i -> b[i] = (byte) (seed * 16 + i));
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return TestFiles.concat(List.of(a, b));
    }

    /** Hands out one byte per read and skips at most one byte, sometimes none. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] data;
        private int pos;
        private boolean refuseSkip;

        OneByteAtATime(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }

        @Override
        public long skip(long n) {
            refuseSkip = !refuseSkip;
            if (refuseSkip || n <= 0 || pos >= data.length) {
                return 0;
            }
            pos++;
            return 1;
        }
    }

    private static final class Counting extends FilterInputStream {
        long consumed;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            consumed += c < 0 ? 0 : 1;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            consumed += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            consumed += s;
            return s;
        }
    }
}
