package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes the stored frames of some transfer syntaxes to pixels. Implementations are found with
 * {@link java.util.ServiceLoader} (META-INF/services), have a public no-argument constructor and are thread-safe.
 */
public interface FrameDecoder {

    /** the transfer syntax UIDs whose frames it decodes */
    Set<String> transferSyntaxes();

    /** empty when it works on this machine; else one line saying why not (e.g. which Debian package to install) */
    Optional<String> unavailable();

    /**
     * @return 8 bits per sample: {@code TYPE_INT_RGB} for colour, {@code TYPE_BYTE_GRAY} for monochrome
     * @throws IOException when the frame is not a valid frame of that syntax and format
     */
    BufferedImage decode(byte[] frame, PixelFormat format) throws IOException;
}
