package org.framecache.proxy.image;

import java.io.IOException;

/**
 * Whether a stored JPEG means the same colours to every reader. The proxy decodes it as {@link JpegHeader#isRgb}
 * says, with the DICOM Photometric Interpretation deciding when the stream's own markers do not (PS3.5 §8.2.1); a
 * browser, libjpeg or ImageIO given the same bytes as an image file reads the markers alone and takes YCbCr then. A
 * JPEG whose colours depend on the Photometric Interpretation (three components coded as RGB, with neither a JFIF nor
 * an Adobe marker nor component ids 'R','G','B') cannot be served as it is for the picture the proxy would make.
 */
public final class StoredJpegColours {
    private StoredJpegColours() {
    }

    /** True when a reader of the bytes alone sees the colours the proxy's decoding sees; false for a malformed stream. */
    public static boolean sameForEveryReader(byte[] jpeg, String photometric) {
        JpegHeader header;
        try {
            header = JpegHeader.read(jpeg);
        } catch (IOException e) {
            return false;
        }
        return header.componentIds().length != 3 || header.isRgb(photometric) == header.isRgb(null);
    }
}
