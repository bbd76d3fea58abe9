package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.ImageOutputStream;

import org.w3c.dom.Node;

/**
 * image/jpeg with the JDK's JPEG writer: baseline, JFIF, no chroma subsampling (4:4:4, as the reference proxy writes
 * with PIL's {@code subsampling=0}), quantisation tables scaled from the ITU T.81 Annex K tables exactly as libjpeg's
 * {@code jpeg_set_quality} scales them (so quality q here gives the same tables as PIL or libjpeg at q), and the ICC
 * profile, if any, byte for byte in APP2 ICC_PROFILE segments.
 */
public final class JpegEncoder implements ImageEncoder {
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    @Override
    public String mediaType() {
        return "image/jpeg";
    }

    @Override
    public Optional<String> unavailable() {
        return writer() == null ? Optional.of("this JDK has no ImageIO JPEG writer") : Optional.empty();
    }

    @Override
    public byte[] encode(BufferedImage image, int quality, byte[] iccProfile) throws IOException {
        ImageWriter writer = writer();
        if (writer == null) {
            throw new IOException("this JDK has no ImageIO JPEG writer");
        }
        if (iccProfile != null) {
            IccProfiles.parse(iccProfile); // refuses what is not a profile
        }
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        shape(metadata, Math.max(1, Math.min(100, quality)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4 + 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return iccProfile == null ? out.toByteArray() : withIccProfile(out.toByteArray(), iccProfile);
    }

    /**
     * The profile's own bytes in APP2 "ICC_PROFILE" segments (ICC.1 Annex B.4) after the JFIF APP0 segment. Not through
     * the writer's {@code app2ICC} node: the JDK writes the profile as LittleCMS re-serialises it, not as given.
     */
    static byte[] withIccProfile(byte[] jpeg, byte[] icc) throws IOException {
        int at = 2;
        if (jpeg.length > 6 && (jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF);
        }
        int chunk = 65_519;
        int count = (icc.length + chunk - 1) / chunk;
        if (count > 255) {
            throw new IOException("an ICC profile of " + icc.length + " bytes does not fit in a JPEG");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + icc.length + 18 * count);
        out.write(jpeg, 0, at);
        for (int i = 0; i < count; i++) {
            int from = i * chunk;
            int length = Math.min(chunk, icc.length - from);
            int segment = 2 + 12 + 2 + length;
            out.write(0xFF);
            out.write(0xE2);
            out.write(segment >> 8);
            out.write(segment);
            out.writeBytes("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(i + 1);
            out.write(count);
            out.write(icc, from, length);
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    private static void shape(IIOMetadata metadata, int quality) throws IIOInvalidTreeException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!n.getNodeName().equals("markerSequence")) {
                continue;
            }
            for (Node m = n.getFirstChild(); m != null; m = m.getNextSibling()) {
                if (m.getNodeName().equals("dqt")) {
                    for (Node t = m.getFirstChild(); t != null; t = t.getNextSibling()) {
                        IIOMetadataNode table = (IIOMetadataNode) t;
                        int id = Integer.parseInt(table.getAttribute("qtableId"));
                        table.setUserObject(scaled(id == 0 ? JPEGQTable.K1Luminance : JPEGQTable.K2Chrominance, quality));
                    }
                } else if (m.getNodeName().equals("sof")) {
                    for (Node c = m.getFirstChild(); c != null; c = c.getNextSibling()) {
                        ((IIOMetadataNode) c).setAttribute("HsamplingFactor", "1");
                        ((IIOMetadataNode) c).setAttribute("VsamplingFactor", "1");
                    }
                }
            }
        }
        metadata.setFromTree(FORMAT, root);
    }

    /** libjpeg jcparam.c: quality to a percentage scale, then each entry scaled, rounded and kept in 1..255 */
    static JPEGQTable scaled(JPEGQTable basic, int quality) {
        int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        int[] table = basic.getTable(); // natural order
        int[] out = new int[64];
        for (int i = 0; i < 64; i++) {
            long v = ((long) table[i] * scale + 50) / 100;
            out[i] = (int) Math.max(1, Math.min(255, v));
        }
        return new JPEGQTable(out);
    }

    private static ImageWriter writer() {
        ImageWriter first = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext();) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
            if (first == null) {
                first = w;
            }
        }
        return first;
    }
}
