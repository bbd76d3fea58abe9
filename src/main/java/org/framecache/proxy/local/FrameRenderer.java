package org.framecache.proxy.local;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.framecache.proxy.ProxyException;
import org.framecache.proxy.TransferSyntaxes;

/**
 * Renders one stored frame as image/jpeg or image/png (PS3.18 §8.3.5.1 rendered media types), with the JDK's own
 * codecs: baseline JPEG frames are sent as stored when JPEG is wanted (no decode, no loss); other JPEG frames
 * the JDK decodes; native 8- and 16-bit monochrome and 8-bit RGB pixel data is converted directly (16-bit
 * scaled from the frame's own minimum and maximum, MONOCHROME1 inverted). Anything else (JPEG 2000, JPEG-LS,
 * RLE, ...) has no JDK codec and is refused with 406.
 */
public final class FrameRenderer {
    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";

    /** How a stored frame's pixels are laid out (PS3.3 C.7.6.3). */
    public record Pixels(String transferSyntax, int rows, int columns, int samplesPerPixel, int bitsAllocated,
            String photometric, int planarConfiguration, boolean signed) {
    }

    /**
     * @param quality JPEG quality 1..100 (PS3.18 §8.3.5.1.2 "quality"), or 0 for the default
     */
    public byte[] render(byte[] frame, Pixels pixels, String mediaType, int quality) throws IOException {
        if (JPEG.equals(mediaType) && TransferSyntaxes.JPEG_BASELINE.equals(pixels.transferSyntax()) && quality == 0) {
            return frame;
        }
        BufferedImage image = decode(frame, pixels);
        return encode(image, mediaType, quality);
    }

    private static BufferedImage decode(byte[] frame, Pixels p) throws IOException {
        String ts = p.transferSyntax();
        if (TransferSyntaxes.JPEG_BASELINE.equals(ts) || "1.2.840.10008.1.2.4.51".equals(ts)) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame));
            if (image == null) {
                throw new IOException("the JPEG frame could not be decoded");
            }
            return image;
        }
        if (!TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN.equals(ts) && !"1.2.840.10008.1.2".equals(ts)) {
            throw ProxyException.notAcceptable("frames stored as " + ts + " cannot be rendered here (no codec)");
        }
        int pixelsCount = p.rows() * p.columns();
        if (p.samplesPerPixel() == 1 && (p.bitsAllocated() == 8 || p.bitsAllocated() == 16)) {
            return monochrome(frame, p, pixelsCount);
        }
        if (p.samplesPerPixel() == 3 && p.bitsAllocated() == 8 && "RGB".equals(p.photometric())) {
            BufferedImage image = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_INT_RGB);
            int[] rgb = new int[pixelsCount];
            for (int i = 0; i < pixelsCount; i++) {
                int r;
                int g;
                int b;
                if (p.planarConfiguration() == 0) {
                    r = frame[3 * i] & 0xFF;
                    g = frame[3 * i + 1] & 0xFF;
                    b = frame[3 * i + 2] & 0xFF;
                } else {
                    r = frame[i] & 0xFF;
                    g = frame[pixelsCount + i] & 0xFF;
                    b = frame[2 * pixelsCount + i] & 0xFF;
                }
                rgb[i] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, 0, p.columns(), p.rows(), rgb, 0, p.columns());
            return image;
        }
        throw ProxyException.notAcceptable("cannot render " + p.samplesPerPixel() + " samples of "
                + p.bitsAllocated() + " bits (" + p.photometric() + ")");
    }

    private static BufferedImage monochrome(byte[] frame, Pixels p, int count) {
        int[] values = new int[count];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            int v;
            if (p.bitsAllocated() == 8) {
                v = p.signed() ? frame[i] : frame[i] & 0xFF;
            } else {
                int u = frame[2 * i] & 0xFF | (frame[2 * i + 1] & 0xFF) << 8;
                v = p.signed() ? (short) u : u;
            }
            values[i] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean invert = "MONOCHROME1".equals(p.photometric());
        boolean scale = p.bitsAllocated() != 8 || p.signed();
        BufferedImage image = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] gray = new byte[count];
        double range = Math.max(1, max - min);
        for (int i = 0; i < count; i++) {
            int g = scale ? (int) Math.round((values[i] - min) * 255 / range) : values[i];
            gray[i] = (byte) (invert ? 255 - g : g);
        }
        image.getRaster().setDataElements(0, 0, p.columns(), p.rows(), gray);
        return image;
    }

    private static byte[] encode(BufferedImage image, String mediaType, int quality) throws IOException {
        String format = JPEG.equals(mediaType) ? "jpeg" : "png";
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no " + format + " encoder");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4 + 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality((quality == 0 ? 90 : quality) / 100f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
