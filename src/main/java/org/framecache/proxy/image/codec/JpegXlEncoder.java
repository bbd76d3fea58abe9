package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;

import org.framecache.proxy.image.ImageEncoder;

/**
 * Rendered frames as {@code image/jxl} (a bare JPEG XL codestream) with libjxl 0.7 (Debian/Ubuntu {@code libjxl0.7}).
 * Quality maps to butteraugli distance as cjxl maps -q (95 is 0.55, 90 is 1.0); 100 is mathematically lossless, as
 * with cjxl. The ICC profile, when given, is embedded; otherwise the colour encoding says sRGB.
 */
public final class JpegXlEncoder implements ImageEncoder {

    @Override
    public String mediaType() {
        return "image/jxl";
    }

    @Override
    public Optional<String> unavailable() {
        return JxlLibrary.unavailable();
    }

    @Override
    public byte[] encode(BufferedImage image, int quality, byte[] iccProfile) throws IOException {
        return JxlEncoding.pixels(image, quality, iccProfile);
    }
}
