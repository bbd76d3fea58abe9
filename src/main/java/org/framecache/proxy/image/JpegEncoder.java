package org.framecache.proxy.image;

import java.awt.color.ICC_Profile;
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
 * profile, if any, in APP2 ICC_PROFILE segments.
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
        ICC_Profile profile = iccProfile == null ? null : IccProfiles.parse(iccProfile);
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        shape(metadata, Math.max(1, Math.min(100, quality)), profile);
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4 + 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void shape(IIOMetadata metadata, int quality, ICC_Profile profile) throws IIOInvalidTreeException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals("JPEGvariety") && profile != null) {
                IIOMetadataNode jfif = (IIOMetadataNode) n.getFirstChild();
                IIOMetadataNode icc = new IIOMetadataNode("app2ICC");
                icc.setUserObject(profile);
                jfif.appendChild(icc);
            }
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
