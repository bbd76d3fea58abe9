package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A generated test picture: gradients in each component plus seeded noise (so codecs cannot cheat on flat areas), of
 * any size, 1 or 3 components and 1..16 bits; written and read as binary PGM/PPM, which every reference tool speaks.
 */
record TestPicture(int width, int height, int components, int bits, int[][] samples) {

    static TestPicture generate(int width, int height, int components, int bits, long seed) {
        Random noise = new Random(seed);
        int max = (1 << bits) - 1;
        int[][] samples = new int[components][width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < components; c++) {
                    double ramp = switch (c) {
                        case 0 -> (double) x / Math.max(1, width - 1);
                        case 1 -> (double) y / Math.max(1, height - 1);
                        default -> (double) (x + y) / Math.max(1, width + height - 2);
                    };
                    int v = (int) Math.round(ramp * max + noise.nextGaussian() * max / 40.0);
                    samples[c][y * width + x] = Math.max(0, Math.min(max, v));
                }
            }
        }
        return new TestPicture(width, height, components, bits, samples);
    }

    /** P5 (one component) or P6 (three), big-endian 16-bit samples above 8 bits, maxval 2^bits - 1 */
    void writePnm(Path file) throws IOException {
        int max = (1 << bits) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(((components == 1 ? "P5" : "P6") + "\n" + width + " " + height + "\n" + max + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < components; c++) {
                int v = samples[c][i];
                if (max > 255) {
                    out.write(v >> 8);
                }
                out.write(v & 0xFF);
            }
        }
        Files.write(file, out.toByteArray());
    }

    static TestPicture readPnm(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        int[] pos = {0};
        String magic = token(data, pos);
        int components = switch (magic) {
            case "P5" -> 1;
            case "P6" -> 3;
            default -> throw new IOException(file + " is not a binary PGM/PPM: " + magic);
        };
        int width = Integer.parseInt(token(data, pos));
        int height = Integer.parseInt(token(data, pos));
        int max = Integer.parseInt(token(data, pos));
        pos[0]++; // the one whitespace byte after maxval
        int bits = 32 - Integer.numberOfLeadingZeros(max);
        int[][] samples = new int[components][width * height];
        int p = pos[0];
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < components; c++) {
                int v = data[p++] & 0xFF;
                if (max > 255) {
                    v = (v << 8) | (data[p++] & 0xFF);
                }
                samples[c][i] = v;
            }
        }
        return new TestPicture(width, height, components, bits, samples);
    }

    private static String token(byte[] data, int[] pos) {
        while (Character.isWhitespace(data[pos[0]]) || data[pos[0]] == '#') {
            if (data[pos[0]] == '#') {
                while (data[pos[0]] != '\n') {
                    pos[0]++;
                }
            }
            pos[0]++;
        }
        int start = pos[0];
        while (!Character.isWhitespace(data[pos[0]])) {
            pos[0]++;
        }
        return new String(data, start, pos[0] - start, StandardCharsets.US_ASCII);
    }

    /** the picture as 8-bit samples, scaled as a viewer does: round(v * 255 / (2^bits - 1)) */
    TestPicture toEightBits() {
        int max = (1 << bits) - 1;
        int[][] scaled = new int[components][];
        for (int c = 0; c < components; c++) {
            scaled[c] = new int[samples[c].length];
            for (int i = 0; i < samples[c].length; i++) {
                scaled[c][i] = (int) Math.round(samples[c][i] * 255.0 / max);
            }
        }
        return new TestPicture(width, height, components, 8, scaled);
    }

    /** the samples of an 8-bit decoded image, in this picture's layout */
    static TestPicture of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
        int[][] samples = new int[gray ? 1 : 3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (gray) {
                    samples[0][y * w + x] = image.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = image.getRGB(x, y);
                    samples[0][y * w + x] = (rgb >> 16) & 0xFF;
                    samples[1][y * w + x] = (rgb >> 8) & 0xFF;
                    samples[2][y * w + x] = rgb & 0xFF;
                }
            }
        }
        return new TestPicture(w, h, gray ? 1 : 3, 8, samples);
    }

    /** the largest difference of any sample, or Integer.MAX_VALUE when the shapes differ */
    int maxDifference(TestPicture other) {
        if (other.width != width || other.height != height || other.components != components) {
            return Integer.MAX_VALUE;
        }
        int worst = 0;
        for (int c = 0; c < components; c++) {
            for (int i = 0; i < samples[c].length; i++) {
                worst = Math.max(worst, Math.abs(samples[c][i] - other.samples[c][i]));
            }
        }
        return worst;
    }

    /** peak signal to noise ratio in dB against another 8-bit picture of the same shape */
    double psnr(TestPicture other) {
        double sum = 0;
        long n = 0;
        for (int c = 0; c < components; c++) {
            for (int i = 0; i < samples[c].length; i++) {
                double d = samples[c][i] - other.samples[c][i];
                sum += d * d;
                n++;
            }
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / (sum / n));
    }

    String shape() {
        return width + "x" + height + "x" + components + "@" + bits;
    }
}
