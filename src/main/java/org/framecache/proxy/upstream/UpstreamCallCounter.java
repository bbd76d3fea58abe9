package org.framecache.proxy.upstream;

import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.framecache.proxy.inbound.FrameRequest;

/**
 * Counts calls made to the upstream store, split into raw-frame, rendered, access-check metadata and pass-through calls: the proof that a cache hit
 * never touches the store, and a number an operator wants to see.
 */
public final class UpstreamCallCounter extends UpstreamCallListener {
    private final LongAdder frames = new LongAdder();
    private final LongAdder rendered = new LongAdder();
    private final LongAdder metadata = new LongAdder();
    private final LongAdder passThrough = new LongAdder();
    private volatile OutcomeRecorder recorder = (millis, failed) -> { };

    public UpstreamCallCounter(String upstreamUrl) {
        super(upstreamUrl, true, true);
    }

    /** Where each ended call's duration and outcome go (the metrics); nothing by default. */
    public void setOutcomeRecorder(OutcomeRecorder recorder) {
        this.recorder = recorder;
    }

    /** Receives every ended upstream call. */
    @FunctionalInterface
    public interface OutcomeRecorder {
        void ended(long millis, boolean failed);
    }

    @Override
    protected void callEnded(Exchange exchange, long millis) {
        recorder.ended(millis, exchange.getException() != null);
    }

    @Override
    protected void callStarting(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class);
        LongAdder counter = path.endsWith("/rendered") ? rendered
                : path.contains("/frames/") ? frames
                : path.endsWith("/metadata") && exchange.getProperty(FrameRequest.PROPERTY) != null ? metadata
                : passThrough;
        counter.increment();
    }

    public long getRawFrameCalls() {
        return frames.sum();
    }

    public long getRenderedCalls() {
        return rendered.sum();
    }

    public long getMetadataCalls() {
        return metadata.sum();
    }

    /** Calls made for the pass-through (searches, metadata asked by clients, STOW...). */
    public long getPassThroughCalls() {
        return passThrough.sum();
    }

    public long getTotal() {
        return frames.sum() + rendered.sum() + metadata.sum() + passThrough.sum();
    }
}
