package org.framecache.proxy.image.codec;

import java.io.IOException;

import org.framecache.proxy.image.PixelFormat;

/**
 * The sizes a native decoder accepts before it lets a codec allocate anything (the frame's metadata and its
 * codestream header are both hostile input): what the instance says must be sane, and what the codestream says must
 * be exactly that.
 */
final class FrameBounds {
    /** 8192 x 8192 pixels: far beyond a pathology tile (256..2048), yet an RGB frame of it fits the heap */
    static final long MAX_PIXELS = 1L << 26;

    private FrameBounds() {
    }

    /** the instance's pixel format is one these decoders can produce: 1 or 3 samples, a sane size */
    static void checkFormat(PixelFormat format) throws IOException {
        if (format == null) {
            throw new IOException("no pixel format");
        }
        if (format.rows() <= 0 || format.columns() <= 0
                || (long) format.rows() * format.columns() > MAX_PIXELS) {
            throw new IOException("frame size " + format.columns() + "x" + format.rows() + " out of range");
        }
        if (format.samplesPerPixel() != 1 && format.samplesPerPixel() != 3) {
            throw new IOException("samples per pixel " + format.samplesPerPixel() + " not supported (1 or 3)");
        }
    }

    /** the codestream declares exactly the instance's frame size and number of samples */
    static void checkDeclared(PixelFormat format, long width, long height, int samples) throws IOException {
        if (width != format.columns() || height != format.rows()) {
            throw new IOException("codestream is " + width + "x" + height + ", the instance says "
                    + format.columns() + "x" + format.rows());
        }
        if (samples != format.samplesPerPixel()) {
            throw new IOException("codestream has " + samples + " components, the instance says "
                    + format.samplesPerPixel());
        }
    }
}
