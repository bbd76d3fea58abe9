package org.framecache.proxy.image.codec;

import java.util.Set;

/** JPEG 2000 frames (PS3.5 A.4.4: .4.90 lossless only, .4.91), decoded by libopenjp2. */
public final class Jpeg2000Decoder extends OpenJpegFrameDecoder {
    public Jpeg2000Decoder() {
        super(Set.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"));
    }
}
