package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.PixelFormat;

/**
 * JPEG 2000 frames (PS3.5 A.4.4: .4.90 lossless only, .4.91) decoded by libopenjp2 2.5 or later (Debian/Ubuntu {@code libopenjp2-7}): a raw codestream or a JP2 file,
 * up to 16 bits per sample, 1 or 3 components, made 8-bit as {@link EightBitPixels} says.
 */
public final class Jpeg2000Decoder implements FrameDecoder {
    private static final Set<String> SYNTAXES = Set.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91");

    @Override
    public Set<String> transferSyntaxes() {
        return SYNTAXES;
    }

    @Override
    public Optional<String> unavailable() {
        return OpenJpegLibrary.unavailable();
    }

    @Override
    public BufferedImage decode(byte[] frame, PixelFormat format) throws IOException {
        return OpenJpegDecoding.decode(frame, format, 0);
    }

    /**
     * The frame at a lower resolution, decoding only the wavelet levels it needs (a cheap virtual pyramid level):
     * ceil(columns / 2^reduce) x ceil(rows / 2^reduce). Fails when the codestream has fewer levels than asked.
     */
    public BufferedImage decodeReduced(byte[] frame, PixelFormat format, int reduce) throws IOException {
        return OpenJpegDecoding.decode(frame, format, reduce);
    }
}
