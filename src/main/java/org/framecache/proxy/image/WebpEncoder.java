package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * image/webp, lossy at the request's quality, with the ImageIO writer of {@code com.github.usefulness:webp-imageio}
 * (libwebp bundled for common platforms; it extracts its native library to {@code java.io.tmpdir}, which must be
 * writable). The ICC profile, if any, is added as an {@code ICCP} chunk of the extended (VP8X) format.
 * {@link #unavailable()} says so when the native library cannot be loaded here.
 */
public final class WebpEncoder implements ImageEncoder {
    private volatile Optional<String> unavailable;

    @Override
    public String mediaType() {
        return "image/webp";
    }

    @Override
    public Optional<String> unavailable() {
        Optional<String> known = unavailable;
        if (known == null) {
            known = probe();
            unavailable = known;
        }
        return known;
    }

    private Optional<String> probe() {
        try {
            write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), 50);
            return Optional.empty();
        } catch (IOException | LinkageError | RuntimeException e) {
            return Optional.of("libwebp of webp-imageio cannot be used here (needs a writable java.io.tmpdir): " + e);
        }
    }

    @Override
    public byte[] encode(BufferedImage image, int quality, byte[] iccProfile) throws IOException {
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            throw new IOException(why.get());
        }
        if (iccProfile != null) {
            IccProfiles.parse(iccProfile);
        }
        byte[] webp = write(image.getType() == BufferedImage.TYPE_INT_RGB ? image : Rgb.of(image), quality);
        return iccProfile == null ? webp : withIccProfile(webp, iccProfile, image.getWidth(), image.getHeight());
    }

    private static byte[] write(BufferedImage image, int quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType("image/webp");
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for image/webp (webp-imageio not on the class path)");
        }
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType("Lossy");
        param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 8 + 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** RIFF container (WebP container spec): VP8X with the ICC flag, then ICCP, then the image chunks as they were */
    static byte[] withIccProfile(byte[] webp, byte[] icc, int width, int height) throws IOException {
        if (webp.length < 20 || !ascii(webp, 0, "RIFF") || !ascii(webp, 8, "WEBP")) {
            throw new IOException("the WebP writer wrote no RIFF WebP file");
        }
        boolean extended = ascii(webp, 12, "VP8X");
        int iccChunk = 8 + icc.length + (icc.length & 1);
        int vp8xChunk = extended ? 0 : 18;
        ByteBuffer out = ByteBuffer.allocate(webp.length + iccChunk + vp8xChunk).order(ByteOrder.LITTLE_ENDIAN);
        out.put(webp, 0, 12);
        int rest = 12;
        if (extended) {
            out.put(webp, 12, 18);
            out.put(20, (byte) (webp[20] | 0x20));
            rest = 30;
        } else {
            out.put("VP8X".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(10);
            out.put((byte) 0x20).put(new byte[3]);
            putUint24(out, width - 1);
            putUint24(out, height - 1);
        }
        out.put("ICCP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(icc.length).put(icc);
        if ((icc.length & 1) == 1) {
            out.put((byte) 0);
        }
        out.put(webp, rest, webp.length - rest);
        out.putInt(4, out.capacity() - 8);
        return out.array();
    }

    private static void putUint24(ByteBuffer out, int v) {
        out.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
