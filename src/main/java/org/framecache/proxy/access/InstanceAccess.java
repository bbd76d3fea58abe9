package org.framecache.proxy.access;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.FrameRequest;

/**
 * Serves a frame, cached or not, only to a caller the store accepts for that instance: the store is asked with
 * the caller's own credentials (the instance's metadata, PS3.18 §10.4.1.1.2) and its answer is remembered per
 * (credential fingerprint, instance) for a short time, refusals included ({@link RememberedDecisions}). Credentials
 * are kept only as an HMAC fingerprint ({@link CallerFingerprints}). The same metadata gives NumberOfFrames
 * ({@link InstanceShape}), so out-of-range frames are refused before the store is asked for them ({@link FrameRange}).
 */
public final class InstanceAccess {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceAccess.class);

    private final RememberedDecisions decisions;
    private final RememberedShapes shapes;
    private final CallerFingerprints fingerprints;
    private final AccessChecksInFlight inFlight;
    private final LongAdder allowedByStore = new LongAdder();
    private final LongAdder refusedByStore = new LongAdder();
    private final LongAdder remembered = new LongAdder();
    private final LongAdder awaited = new LongAdder();

    /**
     * @param perCaller false for stores that need no authentication: an instance the store gave a caller without
     *                  credentials is open to everyone (one decision per instance); nothing else is shared
     * @param hmacKey   secret for credential fingerprints; empty = a random key for this process
     */
    public InstanceAccess(boolean perCaller, Duration decisionTtl, Duration metadataTtl, String hmacKey,
                          long waitMillis) {
        this.decisions = new RememberedDecisions(perCaller, decisionTtl);
        this.shapes = new RememberedShapes(metadataTtl);
        this.fingerprints = new CallerFingerprints(hmacKey);
        this.inFlight = new AccessChecksInFlight(waitMillis);
    }

    /**
     * True when the store must be asked (no remembered decision). A remembered refusal is answered at once with
     * the store's status; a remembered acceptance checks the frame numbers. While one request asks the store for
     * a (caller, instance), the others for the same wait for its answer instead of asking too
     * ({@link AccessChecksInFlight}).
     */
    public boolean mustAskStore(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        String key = decisionKey(request);
        if (decided(request, key)) {
            return false;
        }
        if (inFlight.mustAsk(exchange, key)) {
            return true;
        }
        if (decided(request, key)) {
            awaited.increment();
            return false;
        }
        return true;
    }

    /**
     * A request waiting for another's access check gives up this long after it arrived (the deadline of its own
     * store call); 0 for no such limit.
     */
    public void setCallerDeadlineMillis(long callerDeadlineMillis) {
        inFlight.setCallerDeadlineMillis(callerDeadlineMillis);
    }

    /** True when a remembered acceptance covers the request; throws a remembered refusal; false when unknown. */
    private boolean decided(FrameRequest request, String key) {
        RememberedDecisions.Decision decision = decisions.get(request, key);
        if (decision != null && !decision.accepted()) {
            remembered.increment();
            throw decision.refusal();
        }
        Integer frames = shapes.frames(request.instancePath());
        // the pixel layout comes from the same answer: a rendering needs it, so both are asked for again together
        if (decision == null || frames == null || shapes.image(request.instancePath()) == null) {
            return false;
        }
        remembered.increment();
        FrameRange.check(request, frames);
        return true;
    }

    /**
     * For answers given before the route (in-process hits): true only when a remembered acceptance of this caller
     * covers the instance and every frame is in range. Unknown, refused or out of range is false, and the route
     * decides (asking the store when it must).
     */
    public boolean acceptedFromMemory(FrameRequest request) {
        RememberedDecisions.Decision decision = decisions.get(request, decisionKey(request));
        Integer numberOfFrames = shapes.frames(request.instancePath());
        return decision != null && decision.accepted() && numberOfFrames != null
                && FrameRange.firstOutOfRange(request, numberOfFrames) == 0;
    }

    /** A request was answered on a remembered decision outside the route ({@link #acceptedFromMemory}). */
    public void countRemembered() {
        remembered.increment();
    }

    /**
     * When the request is done, however its call to the store went: the requests waiting for what this one would
     * learn stop waiting (they find the decision it recorded, or ask themselves).
     */
    public void doneAsking(Exchange exchange) {
        inFlight.done(exchange);
    }

    /** After the metadata call: remembers the store's answer, then accepts or refuses the request. */
    public void record(Exchange exchange) {
        try {
            recordAnswer(exchange);
        } finally {
            doneAsking(exchange);
        }
    }

    private void recordAnswer(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        Message answer = exchange.getMessage();
        int status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        switch (status) {
            case 200 -> {
                InstanceShape shape = InstanceShape.read(answer);
                shapes.remember(request.instancePath(), shape);
                decisions.accept(request, decisionKey(request));
                allowedByStore.increment();
                FrameRange.check(request, shape.frames());
            }
            case 401, 403, 404, 410 -> {
                if (status == 401 || status == 403) {
                    decisions.decidePerCaller("the store answered " + status + " for " + request.instancePath());
                }
                RememberedDecisions.Decision refusal = decisions.refuse(decisionKey(request), status,
                        answer.getHeader("WWW-Authenticate", String.class));
                refusedByStore.increment();
                throw refusal.refusal();
            }
            default -> throw new ProxyException(502, "cannot verify access to the instance: the store answered " + status
                    + " for its metadata");
        }
    }

    /** True while one decision per instance is shared by every caller (auth.per-caller=false). */
    public boolean shared() {
        return decisions.shared();
    }

    /** After the start-up search without credentials (auth.per-caller=false): a refusal means the store authenticates. */
    public void learnFromAnonymousSearch(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 401 || status == 403) {
            decisions.decidePerCaller("the store refuses a search without credentials (" + status + ")");
        } else {
            LOG.warn("auth.per-caller=false: one access decision per instance is shared by every caller; the store answered"
                    + " {} to a search without credentials. Use this only for a store that authenticates no one.", status);
        }
    }

    /** NumberOfFrames of the request's instance, when its metadata has been read; else null. */
    public Integer numberOfFrames(FrameRequest request) {
        return shapes.frames(request.instancePath());
    }

    /**
     * The instance's pixel data uncompressed (NumberOfFrames × Rows × Columns × SamplesPerPixel × BitsAllocated/8,
     * PS3.3 C.7.6.3), when its metadata has been read and has them all: the stored size of a native instance, more
     * than that of a compressed one; else null.
     */
    public Long pixelBytes(FrameRequest request) {
        return shapes.pixelBytes(request.instancePath());
    }

    /** The pixels' layout and ICC profile reference of the request's instance, once its metadata has been read; else null. */
    public InstanceImage image(FrameRequest request) {
        return shapes.image(request.instancePath());
    }

    /** Decisions the store made when asked: access granted. */
    public long getAllowedByStore() {
        return allowedByStore.sum();
    }

    /** Decisions the store made when asked: access refused (401, 403, 404, 410). */
    public long getRefusedByStore() {
        return refusedByStore.sum();
    }

    /** Requests decided from a remembered decision, without asking the store. */
    public long getRemembered() {
        return remembered.sum();
    }

    /** Requests decided by waiting for another request that was asking the store for the same. */
    public long getAwaited() {
        return awaited.sum();
    }

    /** HMAC of the forwarded credentials; never the credentials themselves. */
    public String fingerprint(Map<String, String> forwardHeaders) {
        return fingerprints.of(forwardHeaders);
    }

    /** The request's caller fingerprint, computed once per request (an HMAC of a long token is not free). */
    public String fingerprint(FrameRequest request) {
        return fingerprints.of(request);
    }

    /** Decisions are always remembered per caller; a shared one is only an acceptance of a caller without credentials. */
    private String decisionKey(FrameRequest request) {
        return fingerprints.of(request) + "|" + request.instancePath();
    }
}
