package org.framecache.proxy.dicom;

import java.io.IOException;

/**
 * The start of a Part 10 file (PS3.10 7.1): the 128-byte preamble, the "DICM" prefix and the File Meta Information
 * (group 0002, always Explicit VR Little Endian), of which only the Transfer Syntax UID matters to the readers.
 */
final class FileMetaInformation {
    /** Longest Transfer Syntax UID accepted (a UID has at most 64 bytes). */
    private static final int MAX_UID = 1024;

    private FileMetaInformation() {
    }

    /**
     * Reads the preamble, the prefix and group 0002 up to the first tag of another group, and returns the Transfer
     * Syntax UID: one the readers can read (not deflated, not big endian).
     */
    static String readTransferSyntax(DicomStream in) throws IOException {
        readPreamble(in);
        String transferSyntaxUid = null;
        while (in.request(2) && in.peekUInt16(0) == Tag.FILE_META_GROUP) {
            ElementHeader h = ElementHeader.read(in, true);
            if (h.length() == ElementHeader.UNDEFINED_LENGTH) {
                throw new DicomFormatException("undefined length in file meta information " + Tag.toString(h.tag()));
            }
            if (h.tag() == Tag.TransferSyntaxUID) {
                if (h.length() > MAX_UID) {
                    throw new DicomFormatException("invalid Transfer Syntax UID length " + h.length());
                }
                transferSyntaxUid = in.readText((int) h.length(), "Transfer Syntax UID");
            } else {
                in.skip(h.length(), "file meta information");
            }
        }
        if (transferSyntaxUid == null || transferSyntaxUid.isEmpty()) {
            throw new DicomFormatException("no Transfer Syntax UID in file meta information");
        }
        switch (transferSyntaxUid) {
            case TransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntaxes.EXPLICIT_VR_BIG_ENDIAN,
                    TransferSyntaxes.JPIP_REFERENCED_DEFLATE ->
                    throw new DicomFormatException("unsupported transfer syntax " + transferSyntaxUid);
            default -> {
                return transferSyntaxUid;
            }
        }
    }

    private static void readPreamble(DicomStream in) throws IOException {
        if (!in.request(132) || in.peek(128) != 'D' || in.peek(129) != 'I' || in.peek(130) != 'C'
                || in.peek(131) != 'M') {
            throw new DicomFormatException("not a DICOM Part 10 file (no preamble and DICM prefix)");
        }
        in.skip(132, "preamble");
    }
}
