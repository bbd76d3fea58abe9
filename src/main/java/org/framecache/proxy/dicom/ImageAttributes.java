package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;

import java.io.IOException;

/**
 * The top-level attributes {@link Part10FrameReader} interprets, collected as they go by before Pixel Data: the
 * instance's UIDs, the image size that native frames are cut by, NumberOfFrames, and the Extended Offset Table
 * (PS3.5 A.4) that maps fragments to frames. Absent ones keep their defaults ({@link Part10Summary}).
 */
final class ImageAttributes {
    /** Longest value of an interpreted attribute (UIDs are at most 64 bytes, IS 12). */
    private static final int MAX_SMALL_VALUE = 1024;

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

    /**
     * Reads the value of {@code h} when it is one of these attributes.
     *
     * @return false, having read nothing, for any other attribute
     */
    boolean read(ElementHeader h, DicomStream in) throws IOException {
        switch (h.tag()) {
            case Tag.SOPInstanceUID -> sopInstanceUid = readText(h, in, "SOP Instance UID");
            case Tag.StudyInstanceUID -> studyInstanceUid = readText(h, in, "Study Instance UID");
            case Tag.SeriesInstanceUID -> seriesInstanceUid = readText(h, in, "Series Instance UID");
            case Tag.SamplesPerPixel -> samplesPerPixel = readUnsignedShort(h, in, "SamplesPerPixel");
            case Tag.NumberOfFrames -> numberOfFrames = readNumberOfFrames(h, in);
            case Tag.Rows -> rows = readUnsignedShort(h, in, "Rows");
            case Tag.Columns -> columns = readUnsignedShort(h, in, "Columns");
            case Tag.BitsAllocated -> bitsAllocated = readUnsignedShort(h, in, "BitsAllocated");
            case Tag.ExtendedOffsetTable -> extendedOffsets = readVeryLongs(h, in, "Extended Offset Table");
            case Tag.ExtendedOffsetTableLengths ->
                    extendedLengths = readVeryLongs(h, in, "Extended Offset Table Lengths");
            default -> {
                return false;
            }
        }
        return true;
    }

    Part10Summary summary(String transferSyntaxUid, int framesEmitted) {
        return new Part10Summary(transferSyntaxUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid,
                numberOfFrames, rows, columns, samplesPerPixel, bitsAllocated, framesEmitted);
    }

    int numberOfFrames() {
        return numberOfFrames;
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    int samplesPerPixel() {
        return samplesPerPixel;
    }

    int bitsAllocated() {
        return bitsAllocated;
    }

    /** Extended Offset Table (7FE0,0001) entries, or null when absent or empty. */
    long[] extendedOffsets() {
        return extendedOffsets;
    }

    /** Extended Offset Table Lengths (7FE0,0002) entries, or null when absent or empty. */
    long[] extendedLengths() {
        return extendedLengths;
    }

    /** Text without the leading/trailing spaces and trailing NUL padding (PS3.5 6.2). */
    private static String readText(ElementHeader h, DicomStream in, String name) throws IOException {
        if (h.length() == UNDEFINED_LENGTH || h.length() > MAX_SMALL_VALUE) {
            throw new DicomFormatException("invalid " + name);
        }
        return in.readText((int) h.length(), "value of " + name);
    }

    private static int readUnsignedShort(ElementHeader h, DicomStream in, String name) throws IOException {
        if (h.length() != 2) {
            throw new DicomFormatException("invalid " + name + " (length " + h.length() + ")");
        }
        return in.readUInt16("value of " + name);
    }

    private static int readNumberOfFrames(ElementHeader h, DicomStream in) throws IOException {
        String text = readText(h, in, "NumberOfFrames");
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

    /**
     * An OV value: unsigned 64-bit little-endian numbers (offsets must fit a signed long here), at most one per
     * frame of the NumberOfFrames read so far.
     */
    private long[] readVeryLongs(ElementHeader h, DicomStream in, String name) throws IOException {
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
}
