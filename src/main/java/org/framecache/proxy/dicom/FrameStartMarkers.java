package org.framecache.proxy.dicom;

import java.io.IOException;

/**
 * The byte sequences that open a frame's bitstream in the JPEG family of transfer syntaxes (PS3.5 A.4.1 to A.4.3,
 * A.4.8 to A.4.10): without an offset table, a fragment that starts with one starts a frame.
 */
final class FrameStartMarkers {
    private static final byte[] JPEG_SOI = {(byte) 0xFF, (byte) 0xD8};
    private static final byte[] J2K_SOC_SIZ = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
    private static final byte[] JXL_CODESTREAM = {(byte) 0xFF, 0x0A};
    private static final byte[] JXL_CONTAINER = {0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20};

    private FrameStartMarkers() {
    }

    /** The markers of {@code transferSyntaxUid}'s bitstreams; null for a syntax outside the JPEG family. */
    static byte[][] of(String transferSyntaxUid) {
        String prefix = TransferSyntaxes.JPEG_FAMILY_ROOT;
        if (!transferSyntaxUid.startsWith(prefix)) {
            return null;
        }
        int process;
        try {
            process = Integer.parseInt(transferSyntaxUid.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
        if (process >= 50 && process <= 70 || process == 80 || process == 81) {
            return new byte[][] {JPEG_SOI}; // JPEG (ISO 10918-1) and JPEG-LS (ISO 14495-1): SOI
        }
        if (process >= 90 && process <= 93 || process >= 201 && process <= 203) {
            return new byte[][] {J2K_SOC_SIZ}; // JPEG 2000 and HTJ2K codestreams: SOC then SIZ
        }
        if (process >= 110 && process <= 112) {
            return new byte[][] {JXL_CODESTREAM, JXL_CONTAINER}; // JPEG XL codestream or container
        }
        return null;
    }

    /**
     * Whether the fragment value about to be read from {@code in} ({@code fragmentLength} bytes) starts with one of
     * {@code markers}; peeks at most 8 bytes, consumes none.
     */
    static boolean startsWithOne(DicomStream in, long fragmentLength, byte[][] markers) throws IOException {
        int available = (int) Math.min(fragmentLength, 8);
        in.request(available);
        available = Math.min(available, in.buffered());
        for (byte[] marker : markers) {
            if (marker.length <= available) {
                boolean match = true;
                for (int i = 0; i < marker.length && match; i++) {
                    match = in.peek(i) == (marker[i] & 0xFF);
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }
}
