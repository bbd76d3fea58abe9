package org.framecache.proxy.dicom;

/**
 * What {@link Part10FrameReader} learned about an instance. Attributes absent from the top-level data set are
 * {@code null} (UIDs) or {@code 0} (numbers), except {@code numberOfFrames}, which defaults to 1 (PS3.3 C.7.6.6).
 */
public record Part10Summary(
        String transferSyntaxUid,
        String sopInstanceUid,
        String studyInstanceUid,
        String seriesInstanceUid,
        int numberOfFrames,
        int rows,
        int columns,
        int samplesPerPixel,
        int bitsAllocated,
        int framesEmitted) {
}
