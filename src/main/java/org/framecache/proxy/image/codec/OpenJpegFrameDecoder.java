package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.PixelFormat;

/**
 * Frames of the JPEG 2000 family decoded by libopenjp2 2.5 or later (Debian/Ubuntu {@code libopenjp2-7}): a raw
 * codestream or a JP2 file, up to 16 bits per sample, 1 or 3 components, made 8-bit as {@link EightBitPixels} says.
 * The subclasses name the transfer syntaxes.
 */
abstract class OpenJpegFrameDecoder implements FrameDecoder {
    private final Set<String> syntaxes;

    OpenJpegFrameDecoder(Set<String> syntaxes) {
        this.syntaxes = syntaxes;
    }

    @Override
    public final Set<String> transferSyntaxes() {
        return syntaxes;
    }

    @Override
    public final Optional<String> unavailable() {
        return OpenJpegLibrary.unavailable();
    }

    @Override
    public final BufferedImage decode(byte[] frame, PixelFormat format) throws IOException {
        return OpenJpegDecoding.decode(frame, format, 0);
    }

    /**
     * The frame at a lower resolution, decoding only the wavelet levels it needs (a cheap virtual pyramid level):
     * ceil(columns / 2^reduce) x ceil(rows / 2^reduce). Fails when the codestream has fewer levels than asked.
     */
    public final BufferedImage decodeReduced(byte[] frame, PixelFormat format, int reduce) throws IOException {
        return OpenJpegDecoding.decode(frame, format, reduce);
    }
}
