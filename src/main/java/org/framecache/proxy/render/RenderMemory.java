package org.framecache.proxy.render;

import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.inbound.VirtualLevel;

/**
 * Heap one render or transcode task may hold at most, by what it decodes and makes: what it asks of the
 * {@link RenderPool}, which shares render.max-memory-bytes out.
 */
final class RenderMemory {
    private static final long IMAGE_BYTES_PER_PIXEL = 4;
    private static final long DECODE_BYTES_PER_PIXEL = 8;
    private static final long SLACK = 256 * 1024;
    /** a frame whose size the metadata does not give: as a 1024 x 1024 frame */
    private static final long UNKNOWN_FRAME_BYTES = 1024L * 1024 * DECODE_BYTES_PER_PIXEL;

    private RenderMemory() {
    }

    /**
     * A rendering: a decoded frame is its decoder's raster (up to 4 bytes a pixel) and a TYPE_INT_RGB image (4), plus
     * one more image per operation that makes a new one (downsample, viewport, ICC), plus the encoder's output: a
     * 256x256 tile ~1 MiB, a 2048x2048 frame ~48 MiB.
     */
    static long renderBytes(long decoded, RenderParameters p) {
        long out = decoded / ((long) p.downsample() * p.downsample());
        if (p.viewport() != null) {
            out = (long) p.viewport().vw() * p.viewport().vh();
        }
        long made = (p.downsample() > 1 ? out : 0) + (p.viewport() != null ? out : 0)
                + (p.iccProfile() == RenderParameters.IccProfile.NO ? 0 : out);
        long encoded = out * IMAGE_BYTES_PER_PIXEL; // an encoder's output at worst (PNG of noise), grown in a buffer
        return decoded * DECODE_BYTES_PER_PIXEL + made * IMAGE_BYTES_PER_PIXEL + encoded + SLACK;
    }

    /** A transcoding: one decoded frame (as a 1024 x 1024 one when the metadata does not give its size). */
    static long transcodeBytes(PixelFormat format) {
        return format == null ? UNKNOWN_FRAME_BYTES : pixels(format) * DECODE_BYTES_PER_PIXEL + SLACK;
    }

    /** A level tile: the canvas and its scaled copy, one decoded stored tile, the output. */
    static long levelTileBytes(VirtualLevel level, PixelFormat format) {
        long canvas = (long) level.tileColumns() * level.factor() * level.tileRows() * level.factor();
        return canvas * IMAGE_BYTES_PER_PIXEL * 2 + pixels(format) * DECODE_BYTES_PER_PIXEL + SLACK;
    }

    /** The pixels of one stored frame. */
    static long pixels(PixelFormat format) {
        return format == null ? UNKNOWN_FRAME_BYTES / DECODE_BYTES_PER_PIXEL : (long) format.rows() * format.columns();
    }
}
