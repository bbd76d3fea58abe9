package org.framecache.proxy.testing;

import java.util.List;

/**
 * A generated DICOM Part 10 file and what a DICOMweb store is expected to return for it.
 *
 * @param frames {@code frames.get(i)} is frame i+1 exactly as WADO-RS returns it with {@code transfer-syntax=*}:
 *               for encapsulated syntaxes the fragment including its even-length pad byte, for native syntaxes
 *               rows*columns*samples*bytesPerSample bytes
 */
public record GeneratedInstance(
        String studyUid,
        String seriesUid,
        String sopInstanceUid,
        String sopClassUid,
        String transferSyntaxUid,
        int rows,
        int columns,
        int numberOfFrames,
        byte[] part10,
        List<byte[]> frames) {

    @Override
    public String toString() {
        return "GeneratedInstance[sop=" + sopInstanceUid + ", ts=" + transferSyntaxUid + ", " + numberOfFrames
                + " frames of " + rows + "x" + columns + ", " + part10.length + " bytes]";
    }
}
