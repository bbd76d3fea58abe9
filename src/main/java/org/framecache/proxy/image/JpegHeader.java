package org.framecache.proxy.image;

import java.io.IOException;

/**
 * What a JPEG stream says about its colours before its scan (ITU T.81 markers, JFIF APP0, Adobe APP14): the frame
 * header's precision, size and component ids, and the markers that tell whether three components are YCbCr or RGB.
 */
record JpegHeader(int precision, int width, int height, int[] componentIds, boolean jfif, int adobeTransform) {

    /** no Adobe APP14 segment */
    static final int NO_ADOBE = -1;

    static JpegHeader read(byte[] jpeg) throws IOException {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IOException("not a JPEG stream (no SOI marker)");
        }
        boolean jfif = false;
        int adobe = NO_ADOBE;
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                throw new IOException("malformed JPEG stream: no marker at byte " + i);
            }
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                i += 2;
                continue;
            }
            int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
            int body = i + 4;
            if (length < 2 || body + length - 2 > jpeg.length) {
                throw new IOException("truncated JPEG stream");
            }
            if (marker == 0xE0 && length >= 7 && startsWith(jpeg, body, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xEE && length >= 14 && startsWith(jpeg, body, "Adobe")) {
                adobe = jpeg[body + 11] & 0xFF;
            } else if (isStartOfFrame(marker)) {
                if (length < 8) {
                    throw new IOException("truncated JPEG frame header");
                }
                int precision = jpeg[body] & 0xFF;
                int height = (jpeg[body + 1] & 0xFF) << 8 | jpeg[body + 2] & 0xFF;
                int width = (jpeg[body + 3] & 0xFF) << 8 | jpeg[body + 4] & 0xFF;
                int count = jpeg[body + 5] & 0xFF;
                if (length < 8 + 3 * count) {
                    throw new IOException("truncated JPEG frame header");
                }
                int[] ids = new int[count];
                for (int c = 0; c < count; c++) {
                    ids[c] = jpeg[body + 6 + 3 * c] & 0xFF;
                }
                return new JpegHeader(precision, width, height, ids, jfif, adobe);
            } else if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            i = body + length - 2;
        }
        throw new IOException("JPEG stream without a frame header");
    }

    /**
     * Whether three components hold RGB rather than YCbCr, decided as libjpeg (and so PIL and OpenCV) decides from the
     * markers; when the stream carries no marker and no telling ids, the DICOM Photometric Interpretation decides
     * (PS3.5 §8.2.1: RGB means the colour transform was not applied).
     */
    boolean isRgb(String photometric) {
        if (adobeTransform != NO_ADOBE) {
            return adobeTransform == 0;
        }
        if (jfif) {
            return false;
        }
        if (componentIds.length == 3 && componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B') {
            return true;
        }
        return "RGB".equals(photometric);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] bytes, int at, String ascii) {
        for (int k = 0; k < ascii.length(); k++) {
            if (bytes[at + k] != (byte) ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
