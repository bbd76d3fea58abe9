package org.framecache.proxy.image;

/**
 * Separable convolution resampling, as Pillow's {@code resize} does it (Resample.c): one horizontal then one vertical
 * pass, each output sample a normalised weighted sum over the input samples under the kernel centred at
 * {@code (x + 0.5) * scale}; when shrinking the kernel is widened by the scale, which low-pass filters before the
 * samples are dropped (no aliasing). Weights in 22-bit fixed point and results rounded to 8 bits after each pass,
 * as Pillow does, so the pixels equal Pillow's for the same kernel.
 */
final class KernelResample {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    enum Kernel {
        /** triangle */
        LINEAR(1),
        /** Keys cubic, a = -0.5 (Catmull-Rom, Pillow's BICUBIC) */
        CUBIC(2),
        /** Lanczos, 3 lobes (Pillow's LANCZOS) */
        LANCZOS3(3),
        /** Lanczos, 4 lobes (OpenCV's INTER_LANCZOS4 window) */
        LANCZOS4(4);

        final double support;

        Kernel(double support) {
            this.support = support;
        }

        double weight(double x) {
            double ax = Math.abs(x);
            return switch (this) {
                case LINEAR -> ax < 1 ? 1 - ax : 0;
                case CUBIC -> {
                    double a = -0.5;
                    if (ax < 1) {
                        yield ((a + 2) * ax - (a + 3)) * ax * ax + 1;
                    }
                    yield ax < 2 ? (((ax - 5) * ax + 8) * ax - 4) * a : 0;
                }
                case LANCZOS3, LANCZOS4 -> ax < support ? sinc(x) * sinc(x / support) : 0;
            };
        }

        private static double sinc(double x) {
            if (x == 0) {
                return 1;
            }
            double px = x * Math.PI;
            return Math.sin(px) / px;
        }
    }

    private KernelResample() {
    }

    static Pixels resize(Pixels in, int outWidth, int outHeight, Kernel kernel) {
        Pixels horizontal = in;
        if (outWidth != in.width()) {
            Coefficients cx = Coefficients.of(in.width(), outWidth, kernel);
            int[] out = new int[outWidth * in.height()];
            for (int y = 0; y < in.height(); y++) {
                convolve(in.data(), y * in.width(), 1, out, y * outWidth, 1, outWidth, cx, in.channels());
            }
            horizontal = new Pixels(outWidth, in.height(), in.channels(), out);
        }
        if (outHeight == in.height()) {
            return horizontal;
        }
        Coefficients cy = Coefficients.of(in.height(), outHeight, kernel);
        int[] out = new int[outWidth * outHeight];
        for (int x = 0; x < outWidth; x++) {
            convolve(horizontal.data(), x, outWidth, out, x, outWidth, outHeight, cy, in.channels());
        }
        return new Pixels(outWidth, outHeight, in.channels(), out);
    }

    private static void convolve(int[] src, int srcStart, int srcStep, int[] dst, int dstStart, int dstStep,
            int count, Coefficients c, int channels) {
        for (int o = 0; o < count; o++) {
            int first = c.first[o];
            int n = c.count[o];
            int base = o * c.size;
            long s0 = 1L << (PRECISION_BITS - 1);
            long s1 = s0;
            long s2 = s0;
            for (int k = 0; k < n; k++) {
                int v = src[srcStart + (first + k) * srcStep];
                long w = c.weights[base + k];
                s0 += (v & 0xFF) * w;
                if (channels == 3) {
                    s1 += (v >> 8 & 0xFF) * w;
                    s2 += (v >> 16 & 0xFF) * w;
                }
            }
            dst[dstStart + o * dstStep] = channels == 3 ? clip(s2) << 16 | clip(s1) << 8 | clip(s0) : clip(s0);
        }
    }

    private static int clip(long sum) {
        long v = sum >> PRECISION_BITS;
        return v < 0 ? 0 : (int) Math.min(v, 255);
    }

    /** per output sample: the first input sample, how many, and their fixed-point weights */
    private record Coefficients(int size, int[] first, int[] count, int[] weights) {

        static Coefficients of(int inSize, int outSize, Kernel kernel) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = kernel.support * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double ss = 1.0 / filterScale;
            double[] k = new double[size];
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0;
                for (int x = 0; x < max; x++) {
                    k[x] = kernel.weight((x + min - center + 0.5) * ss);
                    total += k[x];
                }
                for (int x = 0; x < max; x++) {
                    double w = total != 0 ? k[x] / total : k[x];
                    weights[o * size + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                first[o] = min;
                count[o] = max;
            }
            return new Coefficients(size, first, count, weights);
        }
    }
}
