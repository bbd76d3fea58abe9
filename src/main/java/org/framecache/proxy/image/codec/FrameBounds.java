package org.framecache.proxy.image.codec;

import java.io.IOException;

import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.PixelLimits;

/**
 * The sizes a native decoder accepts before it lets a codec allocate anything (the frame's metadata and its
 * codestream header are both hostile input): what the instance says must be sane, and what the codestream says must
 * be exactly that.
 */
final class FrameBounds {
    /** the image package's bound, 4096 x 4096 pixels: far beyond a pathology tile (256..2048) */
    static final long MAX_PIXELS = PixelLimits.MAX_PIXELS;

    private FrameBounds() {
    }

    /** the instance's pixel format is one these decoders can produce: 1 or 3 samples, a sane size */
    static void checkFormat(PixelFormat format) throws IOException {
        if (format == null) {
            throw new IOException("no pixel format");
        }
        if (!PixelLimits.fits(format.columns(), format.rows())) {
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
