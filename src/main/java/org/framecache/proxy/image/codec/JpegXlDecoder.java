package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.PixelFormat;

/**
 * JPEG XL frames (.4.110 lossless, .4.111 JPEG recompression, .4.112) decoded by libjxl 0.7 (Debian/Ubuntu
 * {@code libjxl0.7}) to 8-bit gray or RGB, as the codestream's colour channels say; the codec converts deeper samples
 * to 8 bits with rounding and a recompressed JPEG's YCbCr to RGB. MONOCHROME1 is inverted for display.
 */
public final class JpegXlDecoder implements FrameDecoder {
    private static final Set<String> SYNTAXES = Set.of(TransferSyntaxes.JPEG_XL_LOSSLESS,
            TransferSyntaxes.JPEG_XL_JPEG_RECOMPRESSION, TransferSyntaxes.JPEG_XL);

    @Override
    public Set<String> transferSyntaxes() {
        return SYNTAXES;
    }

    @Override
    public Optional<String> unavailable() {
        return JxlLibrary.unavailable();
    }

    @Override
    public BufferedImage decode(byte[] frame, PixelFormat format) throws IOException {
        return JxlDecoding.pixels(frame, format);
    }
}
