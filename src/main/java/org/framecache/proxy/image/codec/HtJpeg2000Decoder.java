package org.framecache.proxy.image.codec;

import java.util.Set;

/** High-Throughput JPEG 2000 frames (HTJ2K: .4.201 lossless, .4.202 lossless RPCL, .4.203), decoded by libopenjp2. */
public final class HtJpeg2000Decoder extends OpenJpegFrameDecoder {
    public HtJpeg2000Decoder() {
        super(Set.of("1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"));
    }
}
