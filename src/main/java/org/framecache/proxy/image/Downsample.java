package org.framecache.proxy.image;

import org.framecache.proxy.image.RenderParameters.Interpolation;

/**
 * A virtual pyramid level: the frame scaled by 1/N. The output size is {@code floor(size / N)}, at least 1, as the
 * reference proxy sizes it; AREA averages, LINEAR/CUBIC/LANCZOS4 filter with a kernel widened by N (no aliasing),
 * NEAREST picks.
 */
final class Downsample {

    private Downsample() {
    }

    static Pixels apply(Pixels in, int factor, Interpolation interpolation) {
        if (factor < 1) {
            throw new IllegalArgumentException("downsample must be 1 or more");
        }
        if (factor == 1) {
            return in;
        }
        return Resize.to(in, Math.max(1, in.width() / factor), Math.max(1, in.height() / factor), interpolation);
    }
}
