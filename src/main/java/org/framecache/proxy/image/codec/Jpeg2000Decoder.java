package org.framecache.proxy.image.codec;

import java.util.Set;

import org.framecache.proxy.dicom.TransferSyntaxes;

/** JPEG 2000 frames (PS3.5 A.4.4: .4.90 lossless only, .4.91), decoded by libopenjp2. */
public final class Jpeg2000Decoder extends OpenJpegFrameDecoder {
    public Jpeg2000Decoder() {
        super(Set.of(TransferSyntaxes.JPEG_2000_LOSSLESS, TransferSyntaxes.JPEG_2000));
    }
}
