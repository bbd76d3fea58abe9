package org.framecache.proxy.image.codec;

import java.io.IOException;

/**
 * Reads a JPEG's frame header (ITU-T T.81 B.2.2) before a codec sees the JPEG, so a hostile one cannot make it
 * allocate for a huge declared size: the process must be one JPEG XL can recompress (Huffman baseline, extended or
 * progressive, 8-bit) and the size within {@link FrameBounds#MAX_PIXELS}.
 */
final class JpegFrameHeader {
    private JpegFrameHeader() {
    }

    static void check(byte[] jpeg) throws IOException {
        if (jpeg == null || jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IOException("not a JPEG (no SOI marker)");
        }
        int at = 2;
        while (at + 4 <= jpeg.length) {
            if ((jpeg[at] & 0xFF) != 0xFF) {
                throw new IOException("JPEG marker expected at byte " + at);
            }
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
            if (length < 2) {
                throw new IOException("JPEG segment of length " + length);
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                if (marker > 0xC2) {
                    throw new IOException(String.format("JPEG process SOF%d cannot be recompressed", marker - 0xC0));
                }
                if (at + 9 > jpeg.length) {
                    throw new IOException("truncated JPEG frame header");
                }
                int precision = jpeg[at + 4] & 0xFF;
                long height = ((jpeg[at + 5] & 0xFF) << 8) | (jpeg[at + 6] & 0xFF);
                long width = ((jpeg[at + 7] & 0xFF) << 8) | (jpeg[at + 8] & 0xFF);
                if (precision != 8) {
                    throw new IOException(precision + "-bit JPEG cannot be recompressed");
                }
                if (width == 0 || height == 0 || width * height > FrameBounds.MAX_PIXELS) {
                    throw new IOException("JPEG of " + width + "x" + height + " out of range");
                }
                return;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            at += 2 + length;
        }
        throw new IOException("JPEG without a frame header");
    }
}
