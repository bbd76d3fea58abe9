package org.framecache.proxy.dicom;

import java.io.IOException;

/** Receives the frames of an instance, in order, as {@link Part10FrameReader} finds them. */
@FunctionalInterface
public interface FrameSink {

    /**
     * @param number 1-based frame number, as in WADO-RS {@code /frames/N}
     * @param bytes  the frame exactly as a DICOMweb store returns it with {@code transfer-syntax=*}; the array is
     *               the sink's to keep (the reader never touches it again)
     */
    void frame(int number, byte[] bytes) throws IOException;

    /** Called once, before any frame, with the transfer syntax of the data set (from the file meta information). */
    default void begin(String transferSyntaxUid) throws IOException {
    }
}
