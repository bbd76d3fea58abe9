package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import org.framecache.proxy.dicom.TransferSyntaxes;

/**
 * Native (uncompressed) frames of Explicit and Implicit VR Little Endian (.1.2.1, .1.2), whose frame bytes are the
 * same: 8-bit RGB (Planar Configuration 0 or 1), 8-bit YBR_FULL (converted as JFIF does), and 8- or 16-bit
 * MONOCHROME1/2, unsigned or signed. Samples are masked to Bits Stored (and sign-extended) first (PS3.5 §8.1.1).
 * 8-bit unsigned monochrome is taken as it is; 16-bit or signed monochrome is scaled linearly from the frame's own
 * minimum to its maximum onto 0..255 (no VOI LUT or window is applied: pathology frames have none); MONOCHROME1 is
 * inverted after scaling.
 */
public final class NativeFrameDecoder implements FrameDecoder {
    @Override
    public Set<String> transferSyntaxes() {
        return Set.of(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.empty();
    }

    /** whether frames of this layout are decoded here (what {@link #decode} refuses otherwise) */
    public boolean decodes(PixelFormat p) {
        String photometric = p.photometric() == null ? "" : p.photometric();
        return p.samplesPerPixel() == 1 && (p.bitsAllocated() == 8 || p.bitsAllocated() == 16)
                && photometric.startsWith("MONOCHROME")
                || p.samplesPerPixel() == 3 && p.bitsAllocated() == 8
                && ("RGB".equals(photometric) || "YBR_FULL".equals(photometric));
    }

    @Override
    public BufferedImage decode(byte[] frame, PixelFormat p) throws IOException {
        if (p == null) {
            throw new IOException("a native frame cannot be decoded without its pixel format");
        }
        PixelLimits.check(p.columns(), p.rows());
        int count = p.rows() * p.columns();
        String photometric = p.photometric() == null ? "" : p.photometric();
        if (p.samplesPerPixel() == 1 && (p.bitsAllocated() == 8 || p.bitsAllocated() == 16)
                && photometric.startsWith("MONOCHROME")) {
            need(frame, (long) count * (p.bitsAllocated() / 8));
            return monochrome(frame, p, count);
        }
        if (p.samplesPerPixel() == 3 && p.bitsAllocated() == 8 && ("RGB".equals(photometric)
                || "YBR_FULL".equals(photometric))) {
            need(frame, 3L * count);
            return colour(frame, p, count, "YBR_FULL".equals(photometric));
        }
        throw new IOException("native frames of " + p.samplesPerPixel() + " samples of " + p.bitsAllocated()
                + " bits (" + photometric + ") are not decoded here");
    }

    private static void need(byte[] frame, long bytes) throws IOException {
        if (frame.length < bytes) {
            throw new IOException("the native frame has " + frame.length + " bytes, its pixel format needs " + bytes);
        }
    }

    private static BufferedImage colour(byte[] frame, PixelFormat p, int count, boolean ybr) {
        int[] rgb = new int[count];
        boolean planar = p.planarConfiguration() == 1;
        for (int i = 0; i < count; i++) {
            int a;
            int b;
            int c;
            if (planar) {
                a = frame[i] & 0xFF;
                b = frame[count + i] & 0xFF;
                c = frame[2 * count + i] & 0xFF;
            } else {
                a = frame[3 * i] & 0xFF;
                b = frame[3 * i + 1] & 0xFF;
                c = frame[3 * i + 2] & 0xFF;
            }
            rgb[i] = ybr ? YcbcrToRgb.rgb(a, b, c) : a << 16 | b << 8 | c;
        }
        BufferedImage image = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_INT_RGB);
        image.getRaster().setDataElements(0, 0, p.columns(), p.rows(), rgb);
        return image;
    }

    private static BufferedImage monochrome(byte[] frame, PixelFormat p, int count) {
        int stored = p.bitsStored() <= 0 || p.bitsStored() > p.bitsAllocated() ? p.bitsAllocated() : p.bitsStored();
        int mask = (1 << stored) - 1;
        int signBit = 1 << (stored - 1);
        int[] values = new int[count];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            int u = p.bitsAllocated() == 8 ? frame[i] & 0xFF : frame[2 * i] & 0xFF | (frame[2 * i + 1] & 0xFF) << 8;
            int v = u & mask;
            if (p.signed() && (v & signBit) != 0) {
                v -= 1 << stored;
            }
            values[i] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean invert = "MONOCHROME1".equals(p.photometric());
        boolean scale = p.bitsAllocated() != 8 || p.signed();
        double range = Math.max(1, max - min);
        byte[] gray = new byte[count];
        for (int i = 0; i < count; i++) {
            int g = scale ? (int) Math.round((values[i] - min) * 255 / range) : values[i];
            gray[i] = (byte) (invert ? 255 - g : g);
        }
        BufferedImage image = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, p.columns(), p.rows(), gray);
        return image;
    }
}
