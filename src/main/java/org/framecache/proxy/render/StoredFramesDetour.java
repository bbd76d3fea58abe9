package org.framecache.proxy.render;

import java.util.Arrays;

import org.apache.camel.Exchange;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;

/**
 * The detour a rendered or transcoded request takes through the stored-frames-for-rendering route: for its length,
 * the exchange carries a request for the stored bytes of the frames still missing (with the same caller), and the
 * outer request waits aside with its replica markers.
 */
final class StoredFramesDetour {
    private static final String OUTER_REQUEST = "renderedRequest";
    private static final String OUTER_MARKERS = "renderedReplicaMarkers";

    private StoredFramesDetour() {
    }

    /** Before the stored-frames route: it works on a request for the stored bytes of the frames still missing. */
    static void enter(Exchange exchange) {
        FrameRequest outer = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        int[] frames = outer.getMissing();
        if (outer.getVirtualLevel() != null) {
            // every stored tile of the blocks the missing virtual frames are made from
            frames = Arrays.stream(frames).boxed()
                    .flatMap(f -> outer.getVirtualLevel().sourceFrames(f).stream())
                    .distinct().mapToInt(Integer::intValue).toArray();
        }
        FrameRequest stored = new FrameRequest(outer.getStudy(), outer.getSeries(), outer.getInstance(), frames,
                Representation.stored(), null, outer.getForwardHeaders(), outer.getPublicBaseUrl());
        stored.setCallerFingerprint(outer.getCallerFingerprint());
        exchange.setProperty(OUTER_REQUEST, outer);
        Object markers = exchange.removeProperty(InFlightFrames.MARKERS);
        if (markers != null) {
            exchange.setProperty(OUTER_MARKERS, markers);
        }
        exchange.setProperty(FrameRequest.PROPERTY, stored);
    }

    /**
     * After it, whatever happened: the rendered (or transcoded) request is the exchange's again, with its replica
     * markers and the bytes the stored frames hold counted as its own (given back when it is done); the stored-frames
     * request stays as {@code storedFramesProperty}.
     */
    static void leave(Exchange exchange, String storedFramesProperty) {
        FrameRequest outer = exchange.removeProperty(OUTER_REQUEST) instanceof FrameRequest r ? r : null;
        if (outer == null) {
            return;
        }
        FrameRequest stored = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        outer.holdBytes(stored.takeHeldBytes());
        exchange.setProperty(storedFramesProperty, stored);
        exchange.setProperty(FrameRequest.PROPERTY, outer);
        Object markers = exchange.removeProperty(OUTER_MARKERS);
        if (markers != null) {
            exchange.setProperty(InFlightFrames.MARKERS, markers);
        }
    }
}
