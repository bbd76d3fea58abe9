package org.framecache.proxy.dicom;

import java.io.IOException;

/**
 * Which fragments of encapsulated Pixel Data start a frame (PS3.5 A.4), by precedence:
 * <ol>
 *   <li>Extended Offset Table (7FE0,0001), its lengths (7FE0,0002) only checked against the frames;</li>
 *   <li>a non-empty Basic Offset Table;</li>
 *   <li>NumberOfFrames 1: all fragments form the frame;</li>
 *   <li>JPEG family transfer syntaxes: a fragment starting with the codestream's start marker starts a frame
 *       ({@link FrameStartMarkers});</li>
 *   <li>otherwise one fragment per frame.</li>
 * </ol>
 * Offsets count from the first byte of the first fragment's item tag (PS3.5 Table A.4-1).
 */
final class FrameBoundaries {
    private enum Grouping { OFFSET_TABLE, SINGLE_FRAME, START_MARKER, FRAGMENT_PER_FRAME }

    private final Grouping grouping;
    /** The offset table in use, with {@link Grouping#OFFSET_TABLE}. */
    private final long[] offsets;
    private final byte[][] markers;
    /** Index of the next offset table entry to meet. */
    private int nextOffset;

    private FrameBoundaries(Grouping grouping, long[] offsets, byte[][] markers) {
        this.grouping = grouping;
        this.offsets = offsets;
        this.markers = markers;
    }

    /** The grouping the image's offset tables, its NumberOfFrames and the transfer syntax call for. */
    static FrameBoundaries choose(ImageAttributes image, long[] basicOffsets, String transferSyntaxUid)
            throws DicomFormatException {
        byte[][] markers = FrameStartMarkers.of(transferSyntaxUid);
        long[] extendedOffsets = image.extendedOffsets();
        long[] extendedLengths = image.extendedLengths();
        if (extendedOffsets != null) {
            if (extendedLengths != null && extendedLengths.length != extendedOffsets.length) {
                throw new DicomFormatException("Extended Offset Table has " + extendedOffsets.length
                        + " entries, its lengths " + extendedLengths.length);
            }
            return new FrameBoundaries(Grouping.OFFSET_TABLE, extendedOffsets, markers);
        } else if (basicOffsets.length > 0) {
            return new FrameBoundaries(Grouping.OFFSET_TABLE, basicOffsets, markers);
        } else if (image.numberOfFrames() == 1) {
            return new FrameBoundaries(Grouping.SINGLE_FRAME, null, markers);
        } else if (markers != null) {
            return new FrameBoundaries(Grouping.START_MARKER, null, markers);
        }
        return new FrameBoundaries(Grouping.FRAGMENT_PER_FRAME, null, markers);
    }

    /**
     * Whether the fragment whose item lies at {@code itemOffset} (value of {@code length} bytes, next in
     * {@code in}) starts a frame; {@code frame} is the frame collected so far, 0 before the first.
     */
    boolean startsFrame(DicomStream in, long itemOffset, long length, int frame) throws IOException {
        return switch (grouping) {
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
            case START_MARKER -> frame == 0 || FrameStartMarkers.startsWithOne(in, length, markers);
            case FRAGMENT_PER_FRAME -> true;
        };
    }

    /** After the last fragment: every offset table entry must have pointed at one. */
    void checkAllOffsetsMet() throws DicomFormatException {
        if (offsets != null && nextOffset < offsets.length) {
            throw new DicomFormatException("offset table entry " + (nextOffset + 1) + " does not point at a fragment");
        }
    }
}
