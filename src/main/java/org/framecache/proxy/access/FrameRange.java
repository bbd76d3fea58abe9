package org.framecache.proxy.access;

import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.FrameRequest;

/** The frame numbers of a request against the instance's NumberOfFrames: out of range is a 400, before the store is asked. */
final class FrameRange {
    private FrameRange() {
    }

    static void check(FrameRequest request, int numberOfFrames) {
        int frame = firstOutOfRange(request, numberOfFrames);
        if (frame > 0) {
            throw ProxyException.badRequest("frame " + frame + " is out of range: the instance has "
                    + numberOfFrames + " frame" + (numberOfFrames == 1 ? "" : "s"));
        }
    }

    /** The first frame of the request beyond NumberOfFrames; 0 when all are in range. */
    static int firstOutOfRange(FrameRequest request, int numberOfFrames) {
        for (int frame : request.getFrames()) {
            if (frame > numberOfFrames) {
                return frame;
            }
        }
        return 0;
    }
}
