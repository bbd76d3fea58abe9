package org.framecache.proxy.dicom;

import java.io.IOException;

/** Native Pixel Data (PS3.5 8.1.1, 8.2): frames stored back to back, each rows*columns*samples*bytes per sample long. */
final class NativePixelData {

    private NativePixelData() {
    }

    /**
     * Hands the {@code image.numberOfFrames()} frames of a Pixel Data value of {@code length} bytes to
     * {@code frames} and skips what follows them.
     *
     * @return the number of frames found
     */
    static int read(DicomStream in, long length, ImageAttributes image, FrameDestination frames, long maxFrameBytes)
            throws IOException {
        int bitsAllocated = image.bitsAllocated();
        if (bitsAllocated == 1) {
            throw new DicomFormatException("bit-packed pixel data not supported");
        }
        if (image.rows() <= 0 || image.columns() <= 0 || image.samplesPerPixel() <= 0 || bitsAllocated <= 0) {
            throw new DicomFormatException("Rows, Columns, SamplesPerPixel or BitsAllocated missing before Pixel Data");
        }
        if (bitsAllocated % 8 != 0) {
            throw new DicomFormatException("unsupported BitsAllocated " + bitsAllocated);
        }
        long frameSize = (long) image.rows() * image.columns() * image.samplesPerPixel() * (bitsAllocated / 8);
        if (frameSize > maxFrameBytes) {
            throw new DicomFormatException("frame too large: " + frameSize + " bytes");
        }
        int numberOfFrames = image.numberOfFrames();
        long needed = frameSize * numberOfFrames;
        if (length < needed) {
            throw new DicomFormatException("Pixel Data has " + length + " bytes, " + numberOfFrames
                    + " frames of " + frameSize + " bytes need " + needed);
        }
        for (int frame = 1; frame <= numberOfFrames; frame++) {
            frames.startFrame();
            frames.add(in, frameSize, "Pixel Data (frame " + frame + ")");
            frames.finishFrame(frame, frameSize);
        }
        in.skip(length - needed, "Pixel Data");
        return numberOfFrames;
    }
}
