package org.framecache.proxy.inbound;

import java.util.ArrayList;
import java.util.List;

/**
 * A pyramid level the instance does not have, made from it (the reference proxy's {@code downsample} on frames): a
 * TILED_FULL instance (PS3.3 C.8.12.4.1.1, frame n is tile n in row-major order) scaled by 1/factor, with tiles of the
 * same size. Frame k of the level is made from the factor x factor block of stored tiles covering it.
 *
 * @param factor       downsampling factor, 2 or more
 * @param tileColumns  Columns of a frame (stored and virtual)
 * @param tileRows     Rows of a frame
 * @param totalColumns TotalPixelMatrixColumns of the stored level
 * @param totalRows    TotalPixelMatrixRows of the stored level
 */
public record VirtualLevel(int factor, int tileColumns, int tileRows, long totalColumns, long totalRows) {

    /** TotalPixelMatrixColumns of the virtual level (a partial block still makes a pixel). */
    public long columns() {
        return ceil(totalColumns, factor);
    }

    public long rows() {
        return ceil(totalRows, factor);
    }

    /** Columns of its frames: a tile's, or the whole level's when it is narrower than one tile. */
    public int frameColumns() {
        return (int) Math.min(tileColumns, columns());
    }

    public int frameRows() {
        return (int) Math.min(tileRows, rows());
    }

    /** NumberOfFrames of the virtual level. */
    public int frameCount() {
        return Math.toIntExact(ceil(columns(), tileColumns) * ceil(rows(), tileRows));
    }

    /** The stored frames (1-based) frame {@code frame} of the level is made from, row by row. */
    public List<Integer> sourceFrames(int frame) {
        long across = ceil(columns(), tileColumns);
        long tx = (frame - 1) % across;
        long ty = (frame - 1) / across;
        long storedAcross = ceil(totalColumns, tileColumns);
        long storedDown = ceil(totalRows, tileRows);
        List<Integer> frames = new ArrayList<>();
        for (long sy = ty * factor; sy < Math.min(storedDown, (ty + 1) * factor); sy++) {
            for (long sx = tx * factor; sx < Math.min(storedAcross, (tx + 1) * factor); sx++) {
                frames.add(Math.toIntExact(sy * storedAcross + sx + 1));
            }
        }
        return frames;
    }

    /** Where stored frame {@code source} lies in the block of {@code frame}: {x, y} in stored pixels. */
    public int[] offsetInBlock(int frame, int source) {
        long across = ceil(columns(), tileColumns);
        long storedAcross = ceil(totalColumns, tileColumns);
        long bx = (frame - 1) % across * factor;
        long by = (frame - 1) / across * factor;
        long sx = (source - 1) % storedAcross;
        long sy = (source - 1) / storedAcross;
        return new int[] {Math.toIntExact((sx - bx) * tileColumns), Math.toIntExact((sy - by) * tileRows)};
    }

    private static long ceil(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
