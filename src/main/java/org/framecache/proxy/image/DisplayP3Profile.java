package org.framecache.proxy.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An ICC v4 display profile for Display P3, written here from its published definition (no freely licensed profile
 * file is packaged): DCI-P3 primaries R (0.680, 0.320), G (0.265, 0.690), B (0.150, 0.060), D65 white (0.3127,
 * 0.3290), and the sRGB transfer curve (IEC 61966-2-1) as a parametric curve. The colorants are adapted to the PCS
 * white (D50) with the Bradford transform, which the 'chad' tag records (ICC.1:2010 Annex E).
 */
final class DisplayP3Profile {
    private static final double[][] PRIMARIES = {{0.680, 0.320}, {0.265, 0.690}, {0.150, 0.060}};
    private static final double[] D65 = xyz(0.3127, 0.3290);
    private static final double[] D50 = {0.9642, 1.0, 0.8249};
    private static final double[][] BRADFORD = {
        {0.8951, 0.2664, -0.1614}, {-0.7502, 1.7135, 0.0367}, {0.0389, -0.0685, 1.0296}};

    private DisplayP3Profile() {
    }

    static byte[] bytes() {
        double[][] toXyz = rgbToXyz(PRIMARIES, D65);
        double[][] chad = bradford(D65, D50);
        double[][] colorants = multiply(chad, toXyz); // columns: adapted XYZ of R, G, B

        byte[] desc = mluc("Display P3 (framecache)");
        byte[] cprt = mluc("No copyright, use freely");
        byte[] wtpt = xyzType(D50);
        byte[] chadTag = sf32(chad);
        byte[] rXyz = xyzType(column(colorants, 0));
        byte[] gXyz = xyzType(column(colorants, 1));
        byte[] bXyz = xyzType(column(colorants, 2));
        byte[] trc = srgbCurve();
        String[] sigs = {"desc", "cprt", "wtpt", "chad", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"};
        byte[][] data = {desc, cprt, wtpt, chadTag, rXyz, gXyz, bXyz, trc, trc, trc};

        int tableEnd = 128 + 4 + 12 * sigs.length;
        int size = tableEnd;
        int[] offsets = new int[sigs.length];
        for (int i = 0; i < sigs.length; i++) {
            if (i > 7) { // the three curves share one copy
                offsets[i] = offsets[7];
                continue;
            }
            offsets[i] = size;
            size += align(data[i].length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(size).putInt(0).putInt(0x04300000);
        b.put(ascii("mntr")).put(ascii("RGB ")).put(ascii("XYZ "));
        b.putShort((short) 2024).putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        b.put(ascii("acsp")).putInt(0).putInt(0).putInt(0).putInt(0).putLong(0).putInt(0);
        putXyz(b, D50);
        b.putInt(0);
        b.position(128);
        b.putInt(sigs.length);
        for (int i = 0; i < sigs.length; i++) {
            b.put(ascii(sigs[i])).putInt(offsets[i]).putInt(data[i].length);
        }
        for (int i = 0; i < 8; i++) {
            b.position(offsets[i]);
            b.put(data[i]);
        }
        return b.array();
    }

    private static byte[] srgbCurve() {
        // 'para' function type 3: Y = (aX + b)^g for X >= d, Y = cX for X < d
        double[] p = {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * p.length);
        b.put(ascii("para")).putInt(0).putShort((short) 3).putShort((short) 0);
        for (double v : p) {
            b.putInt(s15f16(v));
        }
        return b.array();
    }

    private static byte[] mluc(String text) {
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
        ByteBuffer b = ByteBuffer.allocate(28 + utf16.length);
        b.put(ascii("mluc")).putInt(0).putInt(1).putInt(12).put(ascii("en")).put(ascii("US"))
                .putInt(utf16.length).putInt(28).put(utf16);
        return b.array();
    }

    private static byte[] xyzType(double[] xyz) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.put(ascii("XYZ ")).putInt(0);
        putXyz(b, xyz);
        return b.array();
    }

    private static byte[] sf32(double[][] m) {
        ByteBuffer b = ByteBuffer.allocate(8 + 36);
        b.put(ascii("sf32")).putInt(0);
        for (double[] row : m) {
            for (double v : row) {
                b.putInt(s15f16(v));
            }
        }
        return b.array();
    }

    private static void putXyz(ByteBuffer b, double[] xyz) {
        for (double v : xyz) {
            b.putInt(s15f16(v));
        }
    }

    private static int s15f16(double v) {
        return (int) Math.round(v * 65536);
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static double[] xyz(double x, double y) {
        return new double[] {x / y, 1, (1 - x - y) / y};
    }

    /** the RGB to XYZ matrix of these primaries, scaled so that RGB 1,1,1 is the white point */
    static double[][] rgbToXyz(double[][] primaries, double[] white) {
        double[][] m = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double[] p = xyz(primaries[c][0], primaries[c][1]);
            for (int r = 0; r < 3; r++) {
                m[r][c] = p[r];
            }
        }
        double[] s = multiply(invert(m), white);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r][c] *= s[c];
            }
        }
        return m;
    }

    static double[][] bradford(double[] from, double[] to) {
        double[] a = multiply(BRADFORD, from);
        double[] b = multiply(BRADFORD, to);
        double[][] scale = {{b[0] / a[0], 0, 0}, {0, b[1] / a[1], 0}, {0, 0, b[2] / a[2]}};
        return multiply(invert(BRADFORD), multiply(scale, BRADFORD));
    }

    private static double[] column(double[][] m, int c) {
        return new double[] {m[0][c], m[1][c], m[2][c]};
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[3];
        for (int r = 0; r < 3; r++) {
            out[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
        }
        return out;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] out = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                out[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
            }
        }
        return out;
    }

    private static double[][] invert(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] r = new double[3][3];
        r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
        r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
        r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
        r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
        r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
        r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
        r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
        r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
        r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
        return r;
    }
}
