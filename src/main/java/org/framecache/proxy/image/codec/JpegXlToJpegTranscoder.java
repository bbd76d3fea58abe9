package org.framecache.proxy.image.codec;

import java.io.IOException;
import java.util.Optional;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.image.FrameTranscoder;

/**
 * JPEG XL JPEG-recompression frames (.4.111) back to the JPEG (.4.50) they were made from, byte for byte, from the
 * reconstruction data they carry, by libjxl 0.7 (Debian/Ubuntu {@code libjxl0.7}). A frame without that data is an
 * IOException.
 */
public final class JpegXlToJpegTranscoder implements FrameTranscoder {

    @Override
    public String from() {
        return TransferSyntaxes.JPEG_XL_JPEG_RECOMPRESSION;
    }

    @Override
    public String to() {
        return TransferSyntaxes.JPEG_BASELINE;
    }

    @Override
    public Optional<String> unavailable() {
        return JxlLibrary.unavailable();
    }

    @Override
    public byte[] transcode(byte[] frame) throws IOException {
        return JxlDecoding.jpeg(frame);
    }
}
