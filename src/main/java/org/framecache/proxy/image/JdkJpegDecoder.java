package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.framecache.proxy.dicom.TransferSyntaxes;

/**
 * Baseline and extended (8-bit) JPEG frames (.4.50, .4.51) with the JDK's own JPEG reader (libjpeg 6b inside).
 * The reader gives the raw decoded components ({@code readRaster}: upsampled, not colour-converted); whether three
 * components are YCbCr or RGB is decided here from the stream's markers as libjpeg decides (see
 * {@link JpegHeader#isRgb}), not by the JDK's own guess, and YCbCr is converted with libjpeg's arithmetic. 12-bit
 * extended JPEG has no JDK decoder and is refused.
 */
public final class JdkJpegDecoder implements FrameDecoder {
    @Override
    public Set<String> transferSyntaxes() {
        return Set.of(TransferSyntaxes.JPEG_BASELINE, TransferSyntaxes.JPEG_EXTENDED);
    }

    @Override
    public Optional<String> unavailable() {
        return jdkReader() == null ? Optional.of("this JDK has no ImageIO JPEG reader") : Optional.empty();
    }

    @Override
    public BufferedImage decode(byte[] frame, PixelFormat format) throws IOException {
        JpegHeader header = JpegHeader.read(frame);
        if (header.precision() != 8) {
            throw new IOException(header.precision() + "-bit JPEG is not decoded here (8-bit only)");
        }
        int components = header.componentIds().length;
        if (components != 1 && components != 3) {
            throw new IOException("JPEG with " + components + " components is not decoded here");
        }
        PixelLimits.check(header.width(), header.height());
        if (format != null && (format.columns() != header.width() || format.rows() != header.height())) {
            throw new IOException("JPEG frame is " + header.width() + "x" + header.height() + ", the instance says "
                    + format.columns() + "x" + format.rows());
        }
        Raster raster = readRaster(frame);
        int w = raster.getWidth();
        int h = raster.getHeight();
        if (components == 1) {
            BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            gray.getRaster().setRect(raster);
            return gray;
        }
        boolean rgb = header.isRgb(format == null ? null : format.photometric());
        // straight into the image's pixels, a row at a time: the decoded raster and the image are the only full copies
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int[] row = new int[w * 3];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        for (int y = 0; y < h; y++) {
            raster.getPixels(minX, minY + y, w, 1, row);
            int at = y * w;
            for (int x = 0, i = 0; x < w; x++, i += 3) {
                out[at + x] = rgb ? row[i] << 16 | row[i + 1] << 8 | row[i + 2] : YcbcrToRgb.rgb(row[i], row[i + 1], row[i + 2]);
            }
        }
        return image;
    }

    private static Raster readRaster(byte[] frame) throws IOException {
        ImageReader reader = jdkReader();
        if (reader == null) {
            throw new IOException("this JDK has no ImageIO JPEG reader");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
            reader.setInput(in, true, true);
            return reader.readRaster(0, null);
        } catch (RuntimeException e) {
            throw new IOException("the JPEG frame could not be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /** the JDK's reader, even when a library on the class path registers another JPEG reader first */
    static ImageReader jdkReader() {
        ImageReader first = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext();) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.")) {
                return r;
            }
            if (first == null) {
                first = r;
            }
        }
        return first;
    }
}
