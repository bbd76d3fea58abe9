package org.framecache.proxy.image;

/**
 * Shrinking by pixel-area averaging (OpenCV's INTER_AREA, the reference proxy's default): each output pixel is the
 * mean of the input it covers, partly covered input pixels weighted by the part covered. For a whole factor that
 * divides the size it is the plain mean of an N x N box, rounded as OpenCV rounds it (half up for 2, half to even
 * otherwise), so the pixels equal OpenCV's.
 */
final class AreaResample {

    private AreaResample() {
    }

    static Pixels shrink(Pixels in, int outWidth, int outHeight) {
        int n = in.width() / outWidth;
        if (n == in.height() / outHeight && n * outWidth == in.width() && n * outHeight == in.height()) {
            return box(in, n);
        }
        return fractional(in, outWidth, outHeight);
    }

    private static Pixels box(Pixels in, int n) {
        int ow = in.width() / n;
        int oh = in.height() / n;
        int[] out = new int[ow * oh];
        int area = n * n;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int s0 = 0;
                int s1 = 0;
                int s2 = 0;
                for (int y = oy * n; y < oy * n + n; y++) {
                    int row = y * in.width();
                    for (int x = ox * n; x < ox * n + n; x++) {
                        int v = in.data()[row + x];
                        s0 += v & 0xFF;
                        s1 += v >> 8 & 0xFF;
                        s2 += v >> 16 & 0xFF;
                    }
                }
                out[oy * ow + ox] = mean(s2, area) << 16 | mean(s1, area) << 8 | mean(s0, area);
            }
        }
        return new Pixels(ow, oh, in.channels(), out);
    }

    private static int mean(int sum, int area) {
        return area == 4 ? (sum + 2) >> 2 : (int) Math.rint((double) sum / area);
    }

    private static Pixels fractional(Pixels in, int outWidth, int outHeight) {
        Weights wx = Weights.of(in.width(), outWidth);
        Weights wy = Weights.of(in.height(), outHeight);
        int channels = in.channels();
        double[] rows = new double[outWidth * 3 * in.height()];
        for (int y = 0; y < in.height(); y++) {
            for (int ox = 0; ox < outWidth; ox++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                for (int k = wx.start[ox]; k < wx.start[ox + 1]; k++) {
                    int v = in.data()[y * in.width() + wx.index[k]];
                    double w = wx.weight[k];
                    s0 += (v & 0xFF) * w;
                    s1 += (v >> 8 & 0xFF) * w;
                    s2 += (v >> 16 & 0xFF) * w;
                }
                int at = (y * outWidth + ox) * 3;
                rows[at] = s0;
                rows[at + 1] = s1;
                rows[at + 2] = s2;
            }
        }
        int[] out = new int[outWidth * outHeight];
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                for (int k = wy.start[oy]; k < wy.start[oy + 1]; k++) {
                    int at = (wy.index[k] * outWidth + ox) * 3;
                    double w = wy.weight[k];
                    s0 += rows[at] * w;
                    s1 += rows[at + 1] * w;
                    s2 += rows[at + 2] * w;
                }
                int v = channels == 3 ? clip(s2) << 16 | clip(s1) << 8 | clip(s0) : clip(s0);
                out[oy * outWidth + ox] = v;
            }
        }
        return new Pixels(outWidth, outHeight, channels, out);
    }

    private static int clip(double v) {
        long r = Math.round(v);
        return r < 0 ? 0 : (int) Math.min(r, 255);
    }

    /** for each output pixel the input pixels it covers and the share of each */
    private record Weights(int[] start, int[] index, double[] weight) {

        static Weights of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            int capacity = outSize * ((int) Math.ceil(scale) + 2);
            int[] start = new int[outSize + 1];
            int[] index = new int[capacity];
            double[] weight = new double[capacity];
            int k = 0;
            for (int o = 0; o < outSize; o++) {
                start[o] = k;
                double from = o * scale;
                double to = Math.min(from + scale, inSize);
                double cell = to - from;
                for (int i = (int) Math.floor(from); i < to && i < inSize; i++) {
                    double covered = Math.min(to, i + 1) - Math.max(from, i);
                    if (covered > 1e-9) {
                        index[k] = i;
                        weight[k] = covered / cell;
                        k++;
                    }
                }
            }
            start[outSize] = k;
            return new Weights(start, index, weight);
        }
    }
}
