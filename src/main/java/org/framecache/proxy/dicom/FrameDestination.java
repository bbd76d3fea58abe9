package org.framecache.proxy.dicom;

import java.io.IOException;

/**
 * Where the frames {@link Part10FrameReader} finds go: read into memory and handed to a {@link FrameSink}
 * ({@link FramesToSink}), or recorded as byte ranges and skipped ({@link FramesToLocations}). A frame is started,
 * given its bytes in one or more pieces (fragments, or a native frame whole), then finished.
 */
interface FrameDestination {

    /** Called once, before any frame, with the data set's transfer syntax. */
    void begin(String transferSyntaxUid) throws IOException;

    /** Starts the next frame. */
    void startFrame();

    /** Takes the next {@code length} bytes of {@code in} into the frame started last; {@code what} for messages. */
    void add(DicomStream in, long length, String what) throws IOException;

    /** Ends frame {@code frame} (1-based), whose pieces add up to {@code size} bytes. */
    void finishFrame(int frame, long size) throws IOException;

    /** Frames finished so far. */
    int framesEmitted();
}
