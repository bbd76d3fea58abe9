package org.framecache.proxy.image;

import java.io.IOException;

/**
 * How large a frame or a rendered image may be: a bound on the memory one operation takes (a 4096 x 4096 colour image
 * holds 64 MiB as {@code TYPE_INT_RGB}). Pathology frames are 256 to 2048 pixels square. Every decoder, the JDK's and
 * the native ones, checks a frame against it before it allocates anything.
 */
public final class PixelLimits {
    public static final int MAX_SIDE = 16_384;
    public static final long MAX_PIXELS = 4096L * 4096L;

    private PixelLimits() {
    }

    public static void check(int width, int height) throws IOException {
        if (!fits(width, height)) {
            throw new IOException("a frame of " + width + "x" + height + " pixels is too large (at most "
                    + MAX_PIXELS + " pixels, " + MAX_SIDE + " a side)");
        }
    }

    public static boolean fits(long width, long height) {
        return width >= 1 && height >= 1 && width <= MAX_SIDE && height <= MAX_SIDE && width * height <= MAX_PIXELS;
    }
}
