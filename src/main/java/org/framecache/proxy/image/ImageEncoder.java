package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes pixels as one rendered media type (PS3.18 §8.7.4). Found with {@link java.util.ServiceLoader}
 * (META-INF/services); public no-argument constructor; thread-safe.
 */
public interface ImageEncoder {

    /** e.g. image/jpeg */
    String mediaType();

    /** empty when it works on this machine; else one line saying why not (e.g. which Debian package to install) */
    Optional<String> unavailable();

    /**
     * @param quality    1..100, on the libjpeg scale for JPEG; lossless formats ignore it
     * @param iccProfile the ICC profile to embed in the output, or null for none
     */
    byte[] encode(BufferedImage image, int quality, byte[] iccProfile) throws IOException;
}
