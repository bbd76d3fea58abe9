package org.framecache.proxy.image;

import org.framecache.proxy.image.RenderParameters.Interpolation;

/** Scales pixels to a size with the interpolation a request names; AREA, which only shrinks, enlarges as LINEAR. */
final class Resize {

    private Resize() {
    }

    static Pixels to(Pixels in, int width, int height, Interpolation interpolation) {
        if (width == in.width() && height == in.height()) {
            return in;
        }
        return switch (interpolation) {
            case NEAREST -> NearestResample.resize(in, width, height);
            case AREA -> width <= in.width() && height <= in.height() ? AreaResample.shrink(in, width, height)
                    : KernelResample.resize(in, width, height, KernelResample.Kernel.LINEAR);
            case LINEAR -> KernelResample.resize(in, width, height, KernelResample.Kernel.LINEAR);
            case CUBIC -> KernelResample.resize(in, width, height, KernelResample.Kernel.CUBIC);
            case LANCZOS4 -> KernelResample.resize(in, width, height, KernelResample.Kernel.LANCZOS4);
        };
    }
}
