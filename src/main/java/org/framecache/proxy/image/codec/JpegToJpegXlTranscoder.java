package org.framecache.proxy.image.codec;

import java.io.IOException;
import java.util.Optional;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.image.FrameTranscoder;

/**
 * Baseline JPEG frames (.4.50) recompressed losslessly as JPEG XL (.4.111) by libjxl 0.7 (Debian/Ubuntu
 * {@code libjxl0.7}), with the reconstruction data that gives the original JPEG back byte for byte (including the
 * DICOM pad byte after EOI). The JPEG's frame header is checked first (size, process) so a hostile one cannot make
 * the codec allocate for a huge image.
 */
public final class JpegToJpegXlTranscoder implements FrameTranscoder {

    @Override
    public String from() {
        return TransferSyntaxes.JPEG_BASELINE;
    }

    @Override
    public String to() {
        return TransferSyntaxes.JPEG_XL_JPEG_RECOMPRESSION;
    }

    @Override
    public Optional<String> unavailable() {
        return JxlLibrary.unavailable();
    }

    @Override
    public byte[] transcode(byte[] frame) throws IOException {
        return JxlEncoding.recompress(frame);
    }
}
