package org.framecache.proxy.image;

import java.awt.image.BufferedImage;

/**
 * An 8-bit image as one int per pixel (0xRRGGBB, or the grey level), the form the resamplers work on, and back.
 *
 * @param channels 3 for {@code TYPE_INT_RGB}, 1 for {@code TYPE_BYTE_GRAY}
 */
record Pixels(int width, int height, int channels, int[] data) {

    static Pixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] gray = (byte[]) image.getRaster().getDataElements(0, 0, w, h, null);
            int[] data = new int[gray.length];
            for (int i = 0; i < data.length; i++) {
                data[i] = gray[i] & 0xFF;
            }
            return new Pixels(w, h, 1, data);
        }
        BufferedImage rgb = Rgb.of(image);
        return new Pixels(w, h, 3, (int[]) rgb.getRaster().getDataElements(0, 0, w, h, null));
    }

    BufferedImage toImage() {
        if (channels == 1) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] gray = new byte[data.length];
            for (int i = 0; i < gray.length; i++) {
                gray[i] = (byte) data[i];
            }
            image.getRaster().setDataElements(0, 0, width, height, gray);
            return image;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.getRaster().setDataElements(0, 0, width, height, data);
        return image;
    }

    /** the image turned left to right and/or top to bottom */
    Pixels flipped(boolean horizontally, boolean vertically) {
        if (!horizontally && !vertically) {
            return this;
        }
        int[] out = new int[data.length];
        for (int y = 0; y < height; y++) {
            int sy = vertically ? height - 1 - y : y;
            for (int x = 0; x < width; x++) {
                out[y * width + x] = data[sy * width + (horizontally ? width - 1 - x : x)];
            }
        }
        return new Pixels(width, height, channels, out);
    }

    Pixels crop(int x0, int y0, int w, int h) {
        if (x0 == 0 && y0 == 0 && w == width && h == height) {
            return this;
        }
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(data, (y0 + y) * width + x0, out, y * w, w);
        }
        return new Pixels(w, h, channels, out);
    }
}
