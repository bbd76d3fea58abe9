package org.framecache.proxy.dicom;

import java.io.IOException;

/**
 * Frames recorded in {@link FrameLocations} as byte ranges of the stream and skipped, never read
 * ({@link Part10FrameReader#locate}).
 */
final class FramesToLocations implements FrameDestination {
    private final FrameLocations locations;
    private int framesEmitted;

    FramesToLocations(FrameLocations locations) {
        this.locations = locations;
    }

    @Override
    public void begin(String transferSyntaxUid) {
    }

    @Override
    public void startFrame() {
        locations.startFrame();
    }

    @Override
    public void add(DicomStream in, long length, String what) throws IOException {
        locations.addRange(in.position(), (int) length);
        in.skip(length, what);
    }

    @Override
    public void finishFrame(int frame, long size) {
        framesEmitted++;
    }

    @Override
    public int framesEmitted() {
        return framesEmitted;
    }
}
