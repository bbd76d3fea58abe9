package org.framecache.proxy.testing;

/**
 * Paints synthetic tile content: a colour gradient that depends on the tile index, a little texture (so JPEG
 * tiles have a realistic size instead of compressing to almost nothing), and the 1-based frame number drawn
 * as seven-segment digits. Digits are drawn with plain rectangles so no fonts are needed on headless hosts.
 */
final class TilePainter {

    // Segments a..g of each digit, bit 0 = a (top), clockwise, bit 6 = g (middle).
    private static final int[] SEGMENTS = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};

    private TilePainter() {
    }

    /** Returns width*height pixels as 0xRRGGBB, row by row. */
    static int[] paint(int index, int width, int height) {
        int[] pixels = new int[width * height];
        int baseR = (index * 67 + 40) & 0xFF;
        int baseG = (index * 131 + 90) & 0xFF;
        int baseB = (index * 29 + 150) & 0xFF;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = (mix(x, y, index) & 0x1F) - 16;
                int r = clamp(baseR + x * 96 / width + noise);
                int g = clamp(baseG + y * 96 / height + noise);
                int b = clamp(baseB + (x + y) * 48 / (width + height) - noise);
                pixels[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
        drawNumber(pixels, width, height, index + 1);
        return pixels;
    }

    /** The same pixels as interleaved 8-bit R, G, B samples (PlanarConfiguration 0). */
    static byte[] paintRgbBytes(int index, int width, int height) {
        int[] pixels = paint(index, width, height);
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[3 * i] = (byte) (pixels[i] >>> 16);
            rgb[3 * i + 1] = (byte) (pixels[i] >>> 8);
            rgb[3 * i + 2] = (byte) pixels[i];
        }
        return rgb;
    }

    private static void drawNumber(int[] pixels, int width, int height, int number) {
        String digits = Integer.toString(number);
        // Digit cell is 5 units wide (4 + 1 gap) and 8 units tall; fit the number into about half the tile.
        int unit = Math.max(1, Math.min(width / 2 / (5 * digits.length()), height / 2 / 8));
        int x0 = unit;
        int y0 = unit;
        for (int i = 0; i < digits.length(); i++) {
            int segments = SEGMENTS[digits.charAt(i) - '0'];
            int left = x0 + i * 5 * unit;
            int[][] rects = { // x, y, w, h in units, for segments a..g
                {0, 0, 4, 1}, {3, 0, 1, 4}, {3, 3, 1, 4}, {0, 6, 4, 1}, {0, 3, 1, 4}, {0, 0, 1, 4}, {0, 3, 4, 1}};
            for (int s = 0; s < 7; s++) {
                if ((segments & (1 << s)) != 0) {
                    int[] r = rects[s];
                    fill(pixels, width, height, left + r[0] * unit, y0 + r[1] * unit, r[2] * unit, r[3] * unit);
                }
            }
        }
    }

    private static void fill(int[] pixels, int width, int height, int x, int y, int w, int h) {
        for (int yy = Math.max(0, y); yy < Math.min(height, y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(width, x + w); xx++) {
                pixels[yy * width + xx] = 0x101010;
            }
        }
    }

    private static int mix(int x, int y, int index) {
        int h = x * 0x27D4EB2D ^ y * 0x165667B1 ^ index * 0x9E3779B9;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
