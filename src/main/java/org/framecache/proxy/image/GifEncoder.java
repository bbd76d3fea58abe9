package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * image/gif with the JDK's GIF writer, which reduces a colour image to a 256-colour palette itself (lossy for colour
 * images; quality is ignored). GIF has no standard place for an ICC profile: none is written.
 */
public final class GifEncoder implements ImageEncoder {

    @Override
    public String mediaType() {
        return "image/gif";
    }

    @Override
    public Optional<String> unavailable() {
        return ImageIO.getImageWritersByFormatName("gif").hasNext() ? Optional.empty()
                : Optional.of("this JDK has no ImageIO GIF writer");
    }

    @Override
    public byte[] encode(BufferedImage image, int quality, byte[] iccProfile) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IOException("this JDK has no ImageIO GIF writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 2 + 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
