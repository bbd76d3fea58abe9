package org.framecache.proxy.image;

import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.image.RenderParameters.Viewport;

/**
 * PS3.18 §8.3.5.1.3 {@code viewport=vw,vh[,sx,sy,sw,sh]}. The source region starts at column sx, row sy and spans sw
 * columns and sh rows; a negative sw (sh) spans leftwards (upwards) from sx (sy) and turns the region left to right
 * (top to bottom), so the output's first column is the one at sx. Without a region the whole frame is the region.
 * The region is scaled to fit vw x vh keeping its aspect ratio: the output is
 * {@code round(|sw| * s) x round(|sh| * s)} with {@code s = min(vw / |sw|, vh / |sh|)}, never larger than the
 * viewport and not padded to it (the viewport is a maximum, as WADO-URI's rows and columns are). Order: crop, flip,
 * scale. A region not inside the frame, or an output over the pixel limit, is refused.
 */
final class ViewportTransform {

    private ViewportTransform() {
    }

    static Pixels apply(Pixels in, Viewport v, Interpolation interpolation) {
        if (v.vw() < 1 || v.vh() < 1) {
            throw new IllegalArgumentException("viewport width and height must be 1 or more");
        }
        int x0 = 0;
        int y0 = 0;
        int width = in.width();
        int height = in.height();
        boolean flipX = false;
        boolean flipY = false;
        if (v.hasRegion()) {
            if (v.sw() == 0 || v.sh() == 0) {
                throw new IllegalArgumentException("viewport region width and height must not be 0");
            }
            flipX = v.sw() < 0;
            flipY = v.sh() < 0;
            width = Math.abs(v.sw());
            height = Math.abs(v.sh());
            x0 = flipX ? v.sx() + v.sw() : v.sx();
            y0 = flipY ? v.sy() + v.sh() : v.sy();
            if (x0 < 0 || y0 < 0 || (long) x0 + width > in.width() || (long) y0 + height > in.height()) {
                throw new IllegalArgumentException("viewport region " + v.sx() + "," + v.sy() + "," + v.sw() + ","
                        + v.sh() + " is not inside the " + in.width() + "x" + in.height() + " frame");
            }
        }
        double scale = Math.min((double) v.vw() / width, (double) v.vh() / height);
        long outWidth = Math.max(1, Math.min(v.vw(), Math.round(width * scale)));
        long outHeight = Math.max(1, Math.min(v.vh(), Math.round(height * scale)));
        if (!PixelLimits.fits(outWidth, outHeight)) {
            throw new IllegalArgumentException("a viewport of " + outWidth + "x" + outHeight + " pixels is too large");
        }
        Pixels region = in.crop(x0, y0, width, height).flipped(flipX, flipY);
        return Resize.to(region, (int) outWidth, (int) outHeight, interpolation);
    }
}
