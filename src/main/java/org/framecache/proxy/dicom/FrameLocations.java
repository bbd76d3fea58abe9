package org.framecache.proxy.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Where each frame of a Part 10 file lies: one or more (position, length) byte ranges per frame, in order, as
 * {@link Part10FrameReader#locate} finds them. Lets a frame be read from the file with positional reads, without
 * parsing the file again (what makes a folder of files a fast source: Orthanc re-parses the whole instance for
 * every frame).
 */
public final class FrameLocations {
    private long[] positions = new long[16];
    private int[] lengths = new int[16];
    /** Index of frame n's first range is {@code firstRange[n - 1]}; one extra entry closes the last frame. */
    private int[] firstRange = new int[17];
    private int ranges;
    private int frames;

    /** Starts frame {@code frames() + 1}. */
    void startFrame() {
        if (frames + 1 >= firstRange.length) {
            firstRange = Arrays.copyOf(firstRange, firstRange.length * 2);
        }
        firstRange[frames] = ranges;
        frames++;
        firstRange[frames] = ranges;
    }

    /** Adds a byte range to the frame started last. */
    void addRange(long position, int length) {
        if (frames == 0) {
            throw new IllegalStateException("no frame started");
        }
        if (ranges == positions.length) {
            positions = Arrays.copyOf(positions, ranges * 2);
            lengths = Arrays.copyOf(lengths, ranges * 2);
        }
        positions[ranges] = position;
        lengths[ranges] = length;
        ranges++;
        firstRange[frames] = ranges;
    }

    public int frames() {
        return frames;
    }

    /** Size in bytes of frame {@code frame} (1-based). */
    public long size(int frame) {
        check(frame);
        long size = 0;
        for (int r = firstRange[frame - 1]; r < firstRange[frame]; r++) {
            size += lengths[r];
        }
        return size;
    }

    /**
     * Reads frame {@code frame} (1-based) from {@code file} with positional reads (safe for concurrent callers
     * sharing the channel).
     *
     * @throws EOFException when the file is shorter than it was when it was located
     */
    public byte[] read(FileChannel file, int frame) throws IOException {
        long size = size(frame);
        if (size > Part10FrameReader.MAX_FRAME_BYTES) {
            throw new DicomFormatException("frame " + frame + " too large: " + size + " bytes");
        }
        byte[] bytes = new byte[(int) size];
        ByteBuffer target = ByteBuffer.wrap(bytes);
        for (int r = firstRange[frame - 1]; r < firstRange[frame]; r++) {
            long at = positions[r];
            target.limit(target.position() + lengths[r]);
            while (target.hasRemaining()) {
                int read = file.read(target, at);
                if (read < 0) {
                    throw new EOFException("file ends inside frame " + frame);
                }
                at += read;
            }
        }
        return bytes;
    }

    private void check(int frame) {
        if (frame < 1 || frame > frames) {
            throw new IndexOutOfBoundsException("frame " + frame + " of " + frames);
        }
    }
}
