package org.framecache.proxy.image;

import java.io.IOException;
import java.util.Optional;

/**
 * Rewrites a stored frame from one transfer syntax to another without going through pixels, losslessly (e.g. baseline
 * JPEG to JPEG-XL JPEG recompression and back, byte for byte). Found with {@link java.util.ServiceLoader}
 * (META-INF/services); public no-argument constructor; thread-safe.
 */
public interface FrameTranscoder {

    /** transfer syntax UID of the frames it reads */
    String from();

    /** transfer syntax UID of the frames it writes */
    String to();

    /** empty when it works on this machine; else one line saying why not (e.g. which Debian package to install) */
    Optional<String> unavailable();

    byte[] transcode(byte[] frame) throws IOException;
}
