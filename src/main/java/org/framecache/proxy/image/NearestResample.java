package org.framecache.proxy.image;

/**
 * Nearest-neighbour resampling as OpenCV's INTER_NEAREST picks (output x takes input {@code floor(x * in / out)}):
 * no filtering at all, so a shrunk image aliases; it is what a client asking for "nearest" asks for.
 */
final class NearestResample {

    private NearestResample() {
    }

    static Pixels resize(Pixels in, int outWidth, int outHeight) {
        int[] xs = lookup(in.width(), outWidth);
        int[] ys = lookup(in.height(), outHeight);
        int[] out = new int[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int row = ys[y] * in.width();
            for (int x = 0; x < outWidth; x++) {
                out[y * outWidth + x] = in.data()[row + xs[x]];
            }
        }
        return new Pixels(outWidth, outHeight, in.channels(), out);
    }

    private static int[] lookup(int inSize, int outSize) {
        double inverse = 1.0 / ((double) outSize / inSize);
        int[] at = new int[outSize];
        for (int o = 0; o < outSize; o++) {
            at[o] = Math.min((int) Math.floor(o * inverse), inSize - 1);
        }
        return at;
    }
}
