package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;

import java.io.IOException;

/**
 * Encapsulated Pixel Data (PS3.5 A.4): the Basic Offset Table item, fragment items grouped into frames as
 * {@link FrameBoundaries} says, the Sequence Delimitation Item. Fragments past NumberOfFrames are skipped (the
 * frame count check that follows reports them).
 */
final class EncapsulatedPixelData {
    private final DicomStream in;
    private final ImageAttributes image;
    private final FrameDestination frames;
    private final long maxFrameBytes;

    private EncapsulatedPixelData(DicomStream in, ImageAttributes image, FrameDestination frames,
                                  long maxFrameBytes) {
        this.in = in;
        this.image = image;
        this.frames = frames;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Reads the value of a Pixel Data element of undefined length, handing its frames to {@code frames}.
     *
     * @return the number of frames found, including any past NumberOfFrames
     */
    static int read(DicomStream in, String transferSyntaxUid, ImageAttributes image, FrameDestination frames,
                    long maxFrameBytes) throws IOException {
        return new EncapsulatedPixelData(in, image, frames, maxFrameBytes).read(transferSyntaxUid);
    }

    private int read(String transferSyntaxUid) throws IOException {
        int numberOfFrames = image.numberOfFrames();
        FrameBoundaries boundaries = FrameBoundaries.choose(image, readBasicOffsetTable(), transferSyntaxUid);

        // Offsets count from the first byte of the first fragment's item tag (PS3.5 Table A.4-1).
        long firstFragment = in.position();
        int frame = 0;
        long frameSize = 0;
        while (true) {
            long itemOffset = in.position() - firstFragment;
            ElementHeader item = ElementHeader.readItem(in, "encapsulated Pixel Data");
            if (item.tag() == Tag.SequenceDelimitationItem) {
                break;
            }
            if (item.tag() != Tag.Item) {
                throw new DicomFormatException("unexpected " + Tag.toString(item.tag()) + " in encapsulated Pixel Data");
            }
            long length = item.length();
            if (length == UNDEFINED_LENGTH) {
                throw new DicomFormatException("fragment of undefined length");
            }
            if (boundaries.startsFrame(in, itemOffset, length, frame)) {
                finishFrame(frame, frameSize);
                frame++;
                frameSize = 0;
                if (frame <= numberOfFrames) {
                    frames.startFrame();
                }
            }
            if (frame <= numberOfFrames) {
                frameSize += length;
                if (length > maxFrameBytes || frameSize > maxFrameBytes) {
                    throw new DicomFormatException("frame " + frame + " too large");
                }
                frames.add(in, length, "fragment of frame " + frame);
            } else {
                in.skip(length, "fragment");
            }
        }
        finishFrame(frame, frameSize);
        boundaries.checkAllOffsetsMet();
        return frame;
    }

    /** The Basic Offset Table item (PS3.5 A.4): at most one 32-bit offset per frame, possibly none. */
    private long[] readBasicOffsetTable() throws IOException {
        ElementHeader item = ElementHeader.readItem(in, "Basic Offset Table");
        if (item.tag() != Tag.Item) {
            throw new DicomFormatException("encapsulated Pixel Data lacks its Basic Offset Table item");
        }
        long length = item.length();
        if (length == UNDEFINED_LENGTH || length % 4 != 0) {
            throw new DicomFormatException("invalid Basic Offset Table length");
        }
        if (length / 4 > image.numberOfFrames()) {
            throw new DicomFormatException("Basic Offset Table has " + length / 4
                    + " entries, NumberOfFrames says " + image.numberOfFrames());
        }
        long[] offsets = new long[(int) (length / 4)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Integer.toUnsignedLong(in.readInt32("Basic Offset Table"));
        }
        return offsets;
    }

    /** Hands on frame {@code frame} of {@code size} bytes, if it is one NumberOfFrames allows. */
    private void finishFrame(int frame, long size) throws IOException {
        if (frame < 1 || frame > image.numberOfFrames()) {
            return;
        }
        long[] extendedLengths = image.extendedLengths();
        if (extendedLengths != null && frame <= extendedLengths.length && extendedLengths[frame - 1] > size) {
            throw new DicomFormatException("frame " + frame + " has " + size
                    + " bytes, Extended Offset Table Lengths says " + extendedLengths[frame - 1]);
        }
        frames.finishFrame(frame, size);
    }
}
