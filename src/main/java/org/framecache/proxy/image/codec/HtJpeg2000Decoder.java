package org.framecache.proxy.image.codec;

import java.util.Set;

import org.framecache.proxy.dicom.TransferSyntaxes;

/** High-Throughput JPEG 2000 frames (HTJ2K: .4.201 lossless, .4.202 lossless RPCL, .4.203), decoded by libopenjp2. */
public final class HtJpeg2000Decoder extends OpenJpegFrameDecoder {
    public HtJpeg2000Decoder() {
        super(Set.of(TransferSyntaxes.HTJ2K_LOSSLESS, TransferSyntaxes.HTJ2K_LOSSLESS_RPCL, TransferSyntaxes.HTJ2K));
    }
}
