package org.framecache.proxy.image;

import java.awt.image.BufferedImage;

/** Test images made here: a zone plate, textured gradients, colour patches; and raw bytes in and out. */
final class TestImages {

    private TestImages() {
    }

    /** cos(k r^2) with the local frequency reaching 0.5 cycles a pixel at the far corner; channels differ in phase */
    static BufferedImage zonePlate(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double rMax = Math.hypot(w, h);
        double k = Math.PI / rMax; // frequency k r / pi cycles a pixel
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double phase = k * (x * x + y * y);
                int r = (int) Math.round(127.5 + 127.5 * Math.cos(phase));
                int g = (int) Math.round(127.5 + 127.5 * Math.cos(phase + 2));
                int b = (int) Math.round(127.5 + 127.5 * Math.cos(phase + 4));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** gradients with a deterministic pseudo-random texture (every value 0..255 present) */
    static BufferedImage texture(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        long seed = 42;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) (seed >>> 58) - 32;
                int r = clamp(x * 255 / w + noise);
                int g = clamp(y * 255 / h - noise);
                int b = clamp((x + y) * 255 / (w + h) + (noise >> 1));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    static BufferedImage grayTexture(int w, int h) {
        BufferedImage rgb = texture(w, h);
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                gray.getRaster().setSample(x, y, 0, rgb.getRGB(x, y) >> 8 & 0xFF);
            }
        }
        return gray;
    }

    /** smooth colour patches (saturated primaries, skin, stain-like pinks and purples) over gentle gradients */
    static BufferedImage patches(int w, int h) {
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x000000, 0x808080, 0xE8A0C0, 0x7040A0,
            0xF0C8A0, 0x30C0C0, 0xC0C030, 0x202060};
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int cols = 4;
        int cw = w / cols;
        int ch = h / 3;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = colours[Math.min(2, y / ch) * cols + Math.min(cols - 1, x / cw)];
                int shade = (x % cw + y % ch) / 4;
                int r = clamp((c >> 16 & 0xFF) - shade);
                int g = clamp((c >> 8 & 0xFF) - shade);
                int b = clamp((c & 0xFF) - shade);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** smooth colour gradients and a soft disc: what lossy codecs with 4:2:0 chroma keep well */
    static BufferedImage smooth(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - w / 2.0, y - h / 2.0) / Math.hypot(w / 2.0, h / 2.0);
                int r = clamp((int) Math.round(60 + 150.0 * x / w));
                int g = clamp((int) Math.round(40 + 120.0 * y / h));
                int b = clamp((int) Math.round(200 - 120 * d));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static byte[] rgbBytes(BufferedImage image) {
        byte[] out = new byte[image.getWidth() * image.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = image.getRGB(x, y);
                out[i++] = (byte) (v >> 16);
                out[i++] = (byte) (v >> 8);
                out[i++] = (byte) v;
            }
        }
        return out;
    }

    static byte[] grayBytes(BufferedImage image) {
        return (byte[]) image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), null);
    }

    static BufferedImage fromRgbBytes(byte[] bytes, int w, int h) {
        if (bytes.length == w * h) {
            return fromGrayBytes(bytes, w, h);
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            image.setRGB(i % w, i / w, (bytes[3 * i] & 0xFF) << 16 | (bytes[3 * i + 1] & 0xFF) << 8 | bytes[3 * i + 2] & 0xFF);
        }
        return image;
    }

    static BufferedImage fromGrayBytes(byte[] bytes, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, w, h, bytes);
        return image;
    }
}
