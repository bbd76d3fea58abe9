package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.zip.Deflater;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * image/png (lossless; quality is ignored) with the JDK's PNG writer; the ICC profile, if any, in an {@code iCCP}
 * chunk named "ICC Profile", zlib-compressed as the PNG specification (§11.3.3.3) requires.
 */
public final class PngEncoder implements ImageEncoder {
    static final String PROFILE_NAME = "ICC Profile";
    private static final String FORMAT = "javax_imageio_png_1.0";

    @Override
    public String mediaType() {
        return "image/png";
    }

    @Override
    public Optional<String> unavailable() {
        return ImageIO.getImageWritersByFormatName("png").hasNext() ? Optional.empty()
                : Optional.of("this JDK has no ImageIO PNG writer");
    }

    @Override
    public byte[] encode(BufferedImage image, int quality, byte[] iccProfile) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("this JDK has no ImageIO PNG writer");
        }
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = null;
        if (iccProfile != null) {
            IccProfiles.parse(iccProfile); // refuses what is not a profile
            metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode root = new IIOMetadataNode(FORMAT);
            IIOMetadataNode iccp = new IIOMetadataNode("iCCP");
            iccp.setAttribute("profileName", PROFILE_NAME);
            iccp.setAttribute("compressionMethod", "deflate");
            iccp.setUserObject(deflate(iccProfile));
            root.appendChild(iccp);
            metadata.mergeTree(FORMAT, root);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() + 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(bytes);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
