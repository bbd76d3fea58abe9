package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN;
import static org.framecache.proxy.dicom.TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;
import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;
import static org.framecache.proxy.dicom.ElementHeader.length;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Streams the frames out of a DICOM Part 10 file (PS3.10 7.1) in a single front-to-back pass, holding at most
 * one frame plus a small look-ahead buffer in memory.
 *
 * <p>Supported: Explicit VR Little Endian, Implicit VR Little Endian and the encapsulated transfer syntaxes
 * (explicit VR little endian data set, Pixel Data of undefined length, PS3.5 A.4). Not supported: Deflated
 * data sets and Explicit VR Big Endian. Only top-level attributes are interpreted; every other value is skipped
 * without being buffered, sequences of undefined length structurally (PS3.5 7.5).
 *
 * <p>Frames are handed to the {@link FrameSink} as soon as they are complete, so a sink may already have seen
 * frames when a later defect (truncation, frame count mismatch) raises a {@link DicomFormatException}; callers
 * must then discard the whole instance.
 *
 * <p>Mapping fragments to frames in encapsulated Pixel Data, by precedence:
 * <ol>
 *   <li>Extended Offset Table (7FE0,0001), its lengths (7FE0,0002) only checked against the frames;</li>
 *   <li>a non-empty Basic Offset Table;</li>
 *   <li>NumberOfFrames 1: all fragments form the frame;</li>
 *   <li>JPEG family transfer syntaxes: a fragment starting with the codestream's start marker starts a frame;</li>
 *   <li>otherwise one fragment per frame.</li>
 * </ol>
 */
public final class Part10FrameReader {
    /** Largest frame this reader hands out: the usual JVM array size limit. */
    static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 8;
    /** Longest value of an interpreted attribute (UIDs are at most 64 bytes, IS 12). */
    private static final int MAX_SMALL_VALUE = 1024;
    private static final int MAX_SEQUENCE_DEPTH = 64;

    private static final byte[] JPEG_SOI = {(byte) 0xFF, (byte) 0xD8};
    private static final byte[] J2K_SOC_SIZ = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
    private static final byte[] JXL_CODESTREAM = {(byte) 0xFF, 0x0A};
    private static final byte[] JXL_CONTAINER = {0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20};

    private final DicomStream in;
    private final FrameSink sink;
    /** Non-null when locating: frames are recorded as byte ranges and skipped, never read. */
    private final FrameLocations locations;
    /** Largest frame handed out: a larger one is a {@link DicomFormatException}, before it is read. */
    private final long maxFrameBytes;

    private String transferSyntaxUid;
    private boolean implicitVr;
    private String sopInstanceUid;
    private String studyInstanceUid;
    private String seriesInstanceUid;
    private int numberOfFrames = 1;
    private int rows;
    private int columns;
    private int samplesPerPixel;
    private int bitsAllocated;
    private long[] extendedOffsets;
    private long[] extendedLengths;
    private boolean pixelDataSeen;
    private int framesEmitted;

    private Part10FrameReader(InputStream in, FrameSink sink, FrameLocations locations, long maxFrameBytes) {
        this.in = new DicomStream(in);
        this.sink = sink;
        this.locations = locations;
        this.maxFrameBytes = Math.min(maxFrameBytes, MAX_FRAME_BYTES);
    }

    /**
     * Reads {@code in} once, front to back (it is not closed), calling {@code sink} for every frame in order.
     *
     * @throws DicomFormatException for malformed, truncated or unsupported input
     * @throws IOException          from the stream or the sink
     */
    public static Part10Summary read(InputStream in, FrameSink sink) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sink, "sink");
        return new Part10FrameReader(in, sink, null, MAX_FRAME_BYTES).run();
    }

    /**
     * Like {@link #read(InputStream, FrameSink)}, holding no frame larger than {@code maxFrameBytes}: with a stream
     * (an HTTP body), memory is bounded by that whatever the instance's size.
     */
    public static Part10Summary read(InputStream in, FrameSink sink, long maxFrameBytes) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sink, "sink");
        return new Part10FrameReader(in, sink, null, maxFrameBytes).run();
    }

    /**
     * Reads {@code in} once, front to back, like {@link #read}, but records where each frame's bytes lie instead
     * of reading them: positions count from the first byte of {@code in}, so with a file's stream they are file
     * offsets. Pixel data is skipped ({@link InputStream#skip}, a seek for a file).
     */
    public static Part10Summary locate(InputStream in, FrameLocations into) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(into, "into");
        return new Part10FrameReader(in, (frame, bytes) -> {
        }, into, MAX_FRAME_BYTES).run();
    }

    private Part10Summary run() throws IOException {
        transferSyntaxUid = FileMetaInformation.readTransferSyntax(in);
        implicitVr = IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        sink.begin(transferSyntaxUid);
        readDataSet();
        if (!pixelDataSeen) {
            throw new DicomFormatException("no Pixel Data");
        }
        return new Part10Summary(transferSyntaxUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid,
                numberOfFrames, rows, columns, samplesPerPixel, bitsAllocated, framesEmitted);
    }

    // ---- PS3.10 7.1: preamble, prefix, File Meta Information ----

    // ---- PS3.5 7: data set ----

    private void readDataSet() throws IOException {
        while (!in.atEnd()) {
            ElementHeader h = readHeader(!implicitVr);
            switch (h.tag()) {
                case Tag.SOPInstanceUID -> sopInstanceUid = readText(h, "SOP Instance UID");
                case Tag.StudyInstanceUID -> studyInstanceUid = readText(h, "Study Instance UID");
                case Tag.SeriesInstanceUID -> seriesInstanceUid = readText(h, "Series Instance UID");
                case Tag.SamplesPerPixel -> samplesPerPixel = readUnsignedShort(h, "SamplesPerPixel");
                case Tag.NumberOfFrames -> numberOfFrames = readNumberOfFrames(h);
                case Tag.Rows -> rows = readUnsignedShort(h, "Rows");
                case Tag.Columns -> columns = readUnsignedShort(h, "Columns");
                case Tag.BitsAllocated -> bitsAllocated = readUnsignedShort(h, "BitsAllocated");
                case Tag.ExtendedOffsetTable -> extendedOffsets = readVeryLongs(h, "Extended Offset Table");
                case Tag.ExtendedOffsetTableLengths -> extendedLengths = readVeryLongs(h, "Extended Offset Table Lengths");
                case Tag.PixelData -> readPixelData(h);
                default -> {
                    if (Tag.isItemOrDelimiter(h.tag())) {
                        throw new DicomFormatException("unexpected " + Tag.toString(h.tag()) + " in the data set");
                    }
                    skipValue(h, implicitVr, 0);
                }
            }
        }
    }

    private ElementHeader readHeader(boolean explicitVr) throws IOException {
        return ElementHeader.read(in, explicitVr);
    }

    private int readTag(String what) throws IOException {
        int group = in.readUInt16(what);
        int element = in.readUInt16(what);
        return group << 16 | element;
    }

    /**
     * Skips a value. Undefined length means a sequence (PS3.5 7.5.2); an explicit VR of UN with undefined length
     * holds a sequence encoded in Implicit VR Little Endian (PS3.5 6.2.2).
     */
    private void skipValue(ElementHeader h, boolean implicit, int depth) throws IOException {
        if (h.length() != UNDEFINED_LENGTH) {
            in.skip(h.length(), "value of " + Tag.toString(h.tag()));
        } else {
            skipSequence(implicit || "UN".equals(h.vr()), depth + 1);
        }
    }

    /** Items up to the Sequence Delimitation Item (PS3.5 7.5.1). */
    private void skipSequence(boolean implicit, int depth) throws IOException {
        if (depth > MAX_SEQUENCE_DEPTH) {
            throw new DicomFormatException("sequences nested deeper than " + MAX_SEQUENCE_DEPTH);
        }
        while (true) {
            int tag = readTag("sequence");
            long length = length(in.readInt32("sequence"));
            if (tag == Tag.SequenceDelimitationItem) {
                return;
            }
            if (tag != Tag.Item) {
                throw new DicomFormatException("unexpected " + Tag.toString(tag) + " in a sequence");
            }
            if (length == UNDEFINED_LENGTH) {
                skipItem(implicit, depth);
            } else {
                in.skip(length, "sequence item");
            }
        }
    }

    /** Data elements up to the Item Delimitation Item. */
    private void skipItem(boolean implicit, int depth) throws IOException {
        while (true) {
            ElementHeader h = readHeader(!implicit);
            if (h.tag() == Tag.ItemDelimitationItem) {
                return;
            }
            if (Tag.isItemOrDelimiter(h.tag())) {
                throw new DicomFormatException("unexpected " + Tag.toString(h.tag()) + " in a sequence item");
            }
            skipValue(h, implicit, depth);
        }
    }

    // ---- interpreted values ----

    /** Text without the leading/trailing spaces and trailing NUL padding (PS3.5 6.2). */
    private String readText(ElementHeader h, String name) throws IOException {
        if (h.length() == UNDEFINED_LENGTH || h.length() > MAX_SMALL_VALUE) {
            throw new DicomFormatException("invalid " + name);
        }
        return in.readText((int) h.length(), "value of " + name);
    }

    private int readUnsignedShort(ElementHeader h, String name) throws IOException {
        if (h.length() != 2) {
            throw new DicomFormatException("invalid " + name + " (length " + h.length() + ")");
        }
        return in.readUInt16("value of " + name);
    }

    private int readNumberOfFrames(ElementHeader h) throws IOException {
        String text = readText(h, "NumberOfFrames");
        if (text.isEmpty()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DicomFormatException("invalid NumberOfFrames \"" + text + "\"");
    }

    /** An OV value: unsigned 64-bit little-endian numbers (offsets must fit a signed long here). */
    private long[] readVeryLongs(ElementHeader h, String name) throws IOException {
        if (h.length() == UNDEFINED_LENGTH || h.length() % 8 != 0) {
            throw new DicomFormatException("invalid " + name + " length");
        }
        long count = h.length() / 8;
        if (count > numberOfFrames) {
            throw new DicomFormatException(name + " has " + count + " entries, NumberOfFrames says " + numberOfFrames);
        }
        long[] values = new long[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt64(name);
            if (values[i] < 0) {
                throw new DicomFormatException("invalid " + name + " entry " + (i + 1));
            }
        }
        return values.length == 0 ? null : values;
    }

    // ---- Pixel Data ----

    private void readPixelData(ElementHeader h) throws IOException {
        if (pixelDataSeen) {
            throw new DicomFormatException("duplicate Pixel Data");
        }
        pixelDataSeen = true;
        boolean nativeSyntax = implicitVr || EXPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        int framesFound;
        if (h.length() == UNDEFINED_LENGTH) {
            if (nativeSyntax) {
                throw new DicomFormatException("encapsulated Pixel Data in native transfer syntax " + transferSyntaxUid);
            }
            framesFound = readEncapsulatedPixelData();
        } else {
            if (!nativeSyntax) {
                throw new DicomFormatException("native Pixel Data in encapsulated transfer syntax " + transferSyntaxUid);
            }
            framesFound = readNativePixelData(h.length());
        }
        if (framesFound != numberOfFrames) {
            throw new DicomFormatException(framesFound + " frames found, NumberOfFrames says " + numberOfFrames);
        }
    }

    /** PS3.5 8.1.1, 8.2: frames stored back to back, each rows*columns*samples*bytes per sample long. */
    private int readNativePixelData(long length) throws IOException {
        if (bitsAllocated == 1) {
            throw new DicomFormatException("bit-packed pixel data not supported");
        }
        if (rows <= 0 || columns <= 0 || samplesPerPixel <= 0 || bitsAllocated <= 0) {
            throw new DicomFormatException("Rows, Columns, SamplesPerPixel or BitsAllocated missing before Pixel Data");
        }
        if (bitsAllocated % 8 != 0) {
            throw new DicomFormatException("unsupported BitsAllocated " + bitsAllocated);
        }
        long frameSize = (long) rows * columns * samplesPerPixel * (bitsAllocated / 8);
        if (frameSize > maxFrameBytes) {
            throw new DicomFormatException("frame too large: " + frameSize + " bytes");
        }
        long needed = frameSize * numberOfFrames;
        if (length < needed) {
            throw new DicomFormatException("Pixel Data has " + length + " bytes, " + numberOfFrames
                    + " frames of " + frameSize + " bytes need " + needed);
        }
        for (int frame = 1; frame <= numberOfFrames; frame++) {
            if (locations != null) {
                locations.startFrame();
                locations.addRange(in.position(), (int) frameSize);
                in.skip(frameSize, "Pixel Data (frame " + frame + ")");
                framesEmitted++;
            } else {
                emit(frame, in.readBytes((int) frameSize, "Pixel Data (frame " + frame + ")"));
            }
        }
        in.skip(length - needed, "Pixel Data");
        return numberOfFrames;
    }

    private enum Grouping { OFFSET_TABLE, SINGLE_FRAME, START_MARKER, FRAGMENT_PER_FRAME }

    /** PS3.5 A.4: Basic Offset Table item, fragment items, Sequence Delimitation Item. */
    private int readEncapsulatedPixelData() throws IOException {
        int tag = readTag("Basic Offset Table");
        long botLength = length(in.readInt32("Basic Offset Table"));
        if (tag != Tag.Item) {
            throw new DicomFormatException("encapsulated Pixel Data lacks its Basic Offset Table item");
        }
        if (botLength == UNDEFINED_LENGTH || botLength % 4 != 0) {
            throw new DicomFormatException("invalid Basic Offset Table length");
        }
        if (botLength / 4 > numberOfFrames) {
            throw new DicomFormatException("Basic Offset Table has " + botLength / 4
                    + " entries, NumberOfFrames says " + numberOfFrames);
        }
        long[] basicOffsets = new long[(int) (botLength / 4)];
        for (int i = 0; i < basicOffsets.length; i++) {
            basicOffsets[i] = Integer.toUnsignedLong(in.readInt32("Basic Offset Table"));
        }

        long[] offsets = null;
        Grouping grouping;
        byte[][] markers = frameStartMarkers(transferSyntaxUid);
        if (extendedOffsets != null) {
            offsets = extendedOffsets;
            if (extendedLengths != null && extendedLengths.length != extendedOffsets.length) {
                throw new DicomFormatException("Extended Offset Table has " + extendedOffsets.length
                        + " entries, its lengths " + extendedLengths.length);
            }
            grouping = Grouping.OFFSET_TABLE;
        } else if (basicOffsets.length > 0) {
            offsets = basicOffsets;
            grouping = Grouping.OFFSET_TABLE;
        } else if (numberOfFrames == 1) {
            grouping = Grouping.SINGLE_FRAME;
        } else if (markers != null) {
            grouping = Grouping.START_MARKER;
        } else {
            grouping = Grouping.FRAGMENT_PER_FRAME;
        }

        // Offsets count from the first byte of the first fragment's item tag (PS3.5 Table A.4-1).
        long firstFragment = in.position();
        int nextOffset = 0;
        int frame = 0;
        List<byte[]> fragments = new ArrayList<>();
        long frameSize = 0;
        while (true) {
            long itemOffset = in.position() - firstFragment;
            tag = readTag("encapsulated Pixel Data");
            long length = length(in.readInt32("encapsulated Pixel Data"));
            if (tag == Tag.SequenceDelimitationItem) {
                break;
            }
            if (tag != Tag.Item) {
                throw new DicomFormatException("unexpected " + Tag.toString(tag) + " in encapsulated Pixel Data");
            }
            if (length == UNDEFINED_LENGTH) {
                throw new DicomFormatException("fragment of undefined length");
            }
            boolean startsFrame = switch (grouping) {
                case OFFSET_TABLE -> {
                    if (nextOffset < offsets.length && itemOffset == offsets[nextOffset]) {
                        nextOffset++;
                        yield true;
                    }
                    if (frame == 0 || nextOffset < offsets.length && itemOffset > offsets[nextOffset]) {
                        throw new DicomFormatException("offset table entry " + (nextOffset + 1)
                                + " does not point at a fragment");
                    }
                    yield false;
                }
                case SINGLE_FRAME -> frame == 0;
                case START_MARKER -> frame == 0 || startsWithMarker(length, markers);
                case FRAGMENT_PER_FRAME -> true;
            };
            if (startsFrame) {
                finishFrame(frame, fragments, frameSize);
                frame++;
                frameSize = 0;
                if (locations != null && frame <= numberOfFrames) {
                    locations.startFrame();
                }
            }
            if (frame <= numberOfFrames) {
                frameSize += length;
                if (length > maxFrameBytes || frameSize > maxFrameBytes) {
                    throw new DicomFormatException("frame " + frame + " too large");
                }
                if (locations != null) {
                    locations.addRange(in.position(), (int) length);
                    in.skip(length, "fragment of frame " + frame);
                } else {
                    fragments.add(in.readBytes((int) length, "fragment of frame " + frame));
                }
            } else {
                in.skip(length, "fragment");
            }
        }
        finishFrame(frame, fragments, frameSize);
        if (offsets != null && nextOffset < offsets.length) {
            throw new DicomFormatException("offset table entry " + (nextOffset + 1) + " does not point at a fragment");
        }
        return frame;
    }

    /** Emits the collected fragments as frame {@code frame}, if it is one NumberOfFrames allows. */
    private void finishFrame(int frame, List<byte[]> fragments, long size) throws IOException {
        if (frame < 1 || frame > numberOfFrames) {
            fragments.clear();
            return;
        }
        if (extendedLengths != null && frame <= extendedLengths.length && extendedLengths[frame - 1] > size) {
            throw new DicomFormatException("frame " + frame + " has " + size
                    + " bytes, Extended Offset Table Lengths says " + extendedLengths[frame - 1]);
        }
        if (locations != null) {
            framesEmitted++;
            return;
        }
        byte[] bytes;
        if (fragments.size() == 1) {
            bytes = fragments.get(0);
        } else {
            bytes = new byte[(int) size];
            int at = 0;
            for (byte[] fragment : fragments) {
                System.arraycopy(fragment, 0, bytes, at, fragment.length);
                at += fragment.length;
            }
        }
        fragments.clear();
        emit(frame, bytes);
    }

    private void emit(int frame, byte[] bytes) throws IOException {
        framesEmitted++;
        sink.frame(frame, bytes);
    }

    private boolean startsWithMarker(long fragmentLength, byte[][] markers) throws IOException {
        int available = (int) Math.min(fragmentLength, 8);
        in.request(available);
        available = Math.min(available, in.buffered());
        for (byte[] marker : markers) {
            if (marker.length <= available) {
                boolean match = true;
                for (int i = 0; i < marker.length && match; i++) {
                    match = in.peek(i) == (marker[i] & 0xFF);
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The byte sequences that open a frame's bitstream, for the JPEG family of transfer syntaxes (PS3.5 A.4.1
     * to A.4.3, A.4.8 to A.4.10); null for every other syntax.
     */
    static byte[][] frameStartMarkers(String transferSyntaxUid) {
        String prefix = TransferSyntaxes.JPEG_FAMILY_ROOT;
        if (!transferSyntaxUid.startsWith(prefix)) {
            return null;
        }
        int process;
        try {
            process = Integer.parseInt(transferSyntaxUid.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
        if (process >= 50 && process <= 70 || process == 80 || process == 81) {
            return new byte[][] {JPEG_SOI}; // JPEG (ISO 10918-1) and JPEG-LS (ISO 14495-1): SOI
        }
        if (process >= 90 && process <= 93 || process >= 201 && process <= 203) {
            return new byte[][] {J2K_SOC_SIZ}; // JPEG 2000 and HTJ2K codestreams: SOC then SIZ
        }
        if (process >= 110 && process <= 112) {
            return new byte[][] {JXL_CODESTREAM, JXL_CONTAINER}; // JPEG XL codestream or container
        }
        return null;
    }

}
