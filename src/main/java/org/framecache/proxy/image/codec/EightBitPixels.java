package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Decoded samples of any precision up to 16 bits made displayable with 8 bits per sample, the way a viewer shows a
 * frame without a VOI LUT: the whole stored range maps linearly onto 0..255 ({@code round(v * 255 / (2^bits - 1))},
 * signed samples first offset by 2^(bits-1)), the same for every frame of an instance so tiles match at their edges.
 * MONOCHROME1 is inverted (PS3.3 C.7.6.3.1.2: its minimum is white); YBR_FULL becomes RGB with the equations of
 * PS3.3 C.7.6.3.1.2.
 */
final class EightBitPixels {

    private EightBitPixels() {
    }

    /** one 8-bit sample from a stored one: offset, clamped to the stored range, scaled with rounding */
    private static int eight(int v, int offset, int max) {
        int u = v + offset;
        u = u < 0 ? 0 : (u > max ? max : u);
        return max == 255 ? u : (int) ((u * 510L + max) / (2L * max));
    }

    /** a TYPE_BYTE_GRAY image of one component, row by row */
    static BufferedImage gray(int[] samples, int width, int height, int bits, boolean signed, boolean monochrome1) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int offset = signed ? 1 << (bits - 1) : 0;
        int max = (1 << bits) - 1;
        for (int i = 0; i < out.length; i++) {
            int g = eight(samples[i], offset, max);
            out[i] = (byte) (monochrome1 ? 255 - g : g);
        }
        return image;
    }

    /** a TYPE_INT_RGB image of three components; ybrFull: they are Y, Cb, Cr to be made RGB */
    static BufferedImage rgb(int[] c0, int[] c1, int[] c2, int width, int height, int bits, boolean signed,
            boolean ybrFull) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int offset = signed ? 1 << (bits - 1) : 0;
        int max = (1 << bits) - 1;
        for (int i = 0; i < out.length; i++) {
            int a = eight(c0[i], offset, max);
            int b = eight(c1[i], offset, max);
            int c = eight(c2[i], offset, max);
            out[i] = ybrFull ? ybrToRgb(a, b, c) : (a << 16) | (b << 8) | c;
        }
        return image;
    }

    /** PS3.3 C.7.6.3.1.2 YBR_FULL to RGB, 8 bits */
    static int ybrToRgb(int y, int cb, int cr) {
        double r = y + 1.402 * (cr - 128);
        double g = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128);
        double b = y + 1.772 * (cb - 128);
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(double v) {
        long r = Math.round(v);
        return (int) (r < 0 ? 0 : (r > 255 ? 255 : r));
    }

    /** whether a photometric interpretation names YCbCr samples the codec itself does not make RGB */
    static boolean isYbrFull(String photometric) {
        return photometric != null && photometric.trim().startsWith("YBR_FULL");
    }

    static boolean isMonochrome1(String photometric) {
        return photometric != null && photometric.trim().equals("MONOCHROME1");
    }
}
