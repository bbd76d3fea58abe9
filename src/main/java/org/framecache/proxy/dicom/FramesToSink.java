package org.framecache.proxy.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames read into memory and handed to a {@link FrameSink} as soon as each is complete: a frame of one piece is
 * handed over as read, one of several fragments joined once. Holds at most one frame.
 */
final class FramesToSink implements FrameDestination {
    private final FrameSink sink;
    private final List<byte[]> pieces = new ArrayList<>();
    private int framesEmitted;

    FramesToSink(FrameSink sink) {
        this.sink = sink;
    }

    @Override
    public void begin(String transferSyntaxUid) throws IOException {
        sink.begin(transferSyntaxUid);
    }

    @Override
    public void startFrame() {
    }

    @Override
    public void add(DicomStream in, long length, String what) throws IOException {
        pieces.add(in.readBytes((int) length, what));
    }

    @Override
    public void finishFrame(int frame, long size) throws IOException {
        byte[] bytes;
        if (pieces.size() == 1) {
            bytes = pieces.get(0);
        } else {
            bytes = new byte[(int) size];
            int at = 0;
            for (byte[] piece : pieces) {
                System.arraycopy(piece, 0, bytes, at, piece.length);
                at += piece.length;
            }
        }
        pieces.clear();
        framesEmitted++;
        sink.frame(frame, bytes);
    }

    @Override
    public int framesEmitted() {
        return framesEmitted;
    }
}
