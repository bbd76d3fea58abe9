package org.framecache.proxy.inbound;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.framecache.proxy.frames.InFlightBytes;

/**
 * One inbound frame request as it travels through the routes (exchange property {@code frameRequest}): the
 * validated path, the frames in request order (duplicates kept), the chosen representation, the credentials to
 * forward, and the frames found so far (cache hits, then fetched ones).
 */
public final class FrameRequest {
    /** The exchange property holding the request, which the route's beans take it from. */
    public static final String PROPERTY = "frameRequest";

    private final String study;
    private final String series;
    private final String instance;
    private final int[] frames;
    private Representation representation;
    private List<Representation> acceptable = List.of();
    private final Representation fallback;
    private org.framecache.proxy.image.RenderParameters renderParameters;
    /** Raw frames of a virtual level (downsample=N on frames): asked by the client, then its geometry once known. */
    private boolean virtualLevelAsked;
    private VirtualLevel virtualLevel;
    private final Map<String, String> forwardHeaders;
    private final String publicBaseUrl;
    /** The HMAC fingerprint of the forwarded credentials, once computed. */
    private String callerFingerprint;
    private final Map<Integer, CachedFrame> found = new HashMap<>();
    private final Map<Integer, FrameClaim> claims = new HashMap<>();
    private final Map<Integer, CompletableFuture<CachedFrame>> awaited = new HashMap<>();
    private int fromCache;
    private int fromStore;
    private int fromFallback;
    private int fromOthers;
    /** Frames rendered or transcoded here from stored frames. */
    private int fromProxy;
    /** Bytes of the store's answer parts read so far (counted against proxy.max-answer-bytes). */
    private long fetchedBytes;
    /** Bytes counted in {@link InFlightBytes} for this request, given back when it is done. */
    private final java.util.concurrent.atomic.AtomicLong heldInFlight = new java.util.concurrent.atomic.AtomicLong();

    public FrameRequest(String study, String series, String instance, int[] frames, Representation representation,
                        Representation fallback, Map<String, String> forwardHeaders, String publicBaseUrl) {
        this.study = study;
        this.series = series;
        this.instance = instance;
        this.frames = frames.clone();
        this.representation = representation;
        this.fallback = fallback;
        this.forwardHeaders = Map.copyOf(forwardHeaders);
        this.publicBaseUrl = publicBaseUrl;
    }

    public String getStudy() {
        return study;
    }

    public String getSeries() {
        return series;
    }

    public String getInstance() {
        return instance;
    }

    /** Frames in request order, duplicates included. */
    public int[] getFrames() {
        return frames.clone();
    }

    public Representation getRepresentation() {
        return representation;
    }

    /** What a rendered request asks to be done to each frame; null for raw frames. */
    public org.framecache.proxy.image.RenderParameters getRenderParameters() {
        return renderParameters;
    }

    public void setRenderParameters(org.framecache.proxy.image.RenderParameters renderParameters) {
        this.renderParameters = renderParameters;
    }

    /** True when the client asked raw frames of a virtual pyramid level (downsample=N, N of 2 or more). */
    public boolean isVirtualLevelAsked() {
        return virtualLevelAsked;
    }

    void askVirtualLevel(org.framecache.proxy.image.RenderParameters parameters) {
        this.renderParameters = parameters;
        this.virtualLevelAsked = true;
    }

    /** The virtual level's geometry, once chosen; null for frames of the stored level. */
    public VirtualLevel getVirtualLevel() {
        return virtualLevel;
    }

    public void setVirtualLevel(VirtualLevel level) {
        this.virtualLevel = level;
    }

    /** Serve this instead (made by the proxy from the stored frames, or the store's own rendering). */
    public void useRepresentation(Representation chosen) {
        representation = chosen;
    }

    /** Serve the stored bytes instead: they satisfy what the client asked for (same frames, one cache entry). */
    public void useStoredBytes() {
        representation = Representation.stored();
    }

    /** Everything the client accepts, most preferred first. */
    public List<Representation> getAcceptable() {
        return acceptable;
    }

    void setAcceptable(List<Representation> acceptable) {
        this.acceptable = List.copyOf(acceptable);
    }

    /** Rendered representation used when raw retrieval fails; null for rendered requests. */
    public Representation getFallback() {
        return fallback;
    }

    public Map<String, String> getForwardHeaders() {
        return forwardHeaders;
    }

    public String getCallerFingerprint() {
        return callerFingerprint;
    }

    public void setCallerFingerprint(String fingerprint) {
        this.callerFingerprint = fingerprint;
    }

    /** Base URL of the proxy as the client sees it (scheme, host, prefix), for Content-Location. */
    public String getPublicBaseUrl() {
        return publicBaseUrl;
    }

    /** "/studies/{study}/series/{series}/instances/{instance}" relative to a DICOMweb base URL. */
    public String instancePath() {
        return "/studies/" + study + "/series/" + series + "/instances/" + instance;
    }

    /** Distinct frames, in first-request order. */
    public int[] distinctFrames() {
        Set<Integer> distinct = new LinkedHashSet<>();
        for (int f : frames) {
            distinct.add(f);
        }
        return distinct.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Distinct frames not found yet and not being fetched by another request, in first-request order: what this
     * request must ask the store for.
     */
    public int[] getMissing() {
        return Arrays.stream(distinctFrames()).filter(f -> !found.containsKey(f) && !awaited.containsKey(f)).toArray();
    }

    /** True when nothing is left for this request to fetch (frames awaited from others are collected later). */
    public boolean isComplete() {
        return getMissing().length == 0;
    }

    public void claim(int frame, FrameClaim claim) {
        claims.put(frame, claim);
    }

    public void await(int frame, CompletableFuture<CachedFrame> result) {
        awaited.put(frame, result);
    }

    public Map<Integer, FrameClaim> getClaims() {
        return claims;
    }

    public Map<Integer, CompletableFuture<CachedFrame>> getAwaited() {
        return awaited;
    }

    public void put(int frame, CachedFrame content) {
        found.put(frame, content);
        awaited.remove(frame);
    }

    public void countFromCache() {
        fromCache++;
    }

    public void countFetched(boolean asFallback) {
        if (asFallback) {
            fromFallback++;
        } else {
            fromStore++;
        }
    }

    public void countProduced() {
        fromProxy++;
    }

    public void countFromOthers() {
        fromOthers++;
    }

    /** True when a frame of this raw request is a rendered substitute (its own fetch, or one it waited for). */
    public boolean servedRenderedFallback() {
        return fromFallback > 0;
    }

    /**
     * Where this request's frames came from: "cache", "upstream", "coalesced", or "mixed"; "rendered" or "transcoded"
     * when any was made by the proxy from stored frames; "rendered-fallback" whenever
     * any frame of a raw request is the store's rendered substitute (the answer says so, and the log).
     */
    public String getTier() {
        if (fromFallback > 0) {
            return "rendered-fallback";
        }
        if (fromProxy > 0) {
            // made here from stored frames (cached or fetched for it): "rendered" or "transcoded"
            return representation.rendered() ? "rendered" : "transcoded";
        }
        int kinds = (fromCache > 0 ? 1 : 0) + (fromStore > 0 ? 1 : 0) + (fromFallback > 0 ? 1 : 0) + (fromOthers > 0 ? 1 : 0);
        if (kinds != 1) {
            return kinds == 0 ? "none" : "mixed";
        }
        return fromCache > 0 ? "cache" : fromStore > 0 ? "upstream" : fromFallback > 0 ? "rendered-fallback" : "coalesced";
    }

    public CachedFrame get(int frame) {
        return found.get(frame);
    }

    /**
     * Adds a part the store answered and returns what this request now holds: the frames found so far plus every
     * part read. Each distinct frame is in the answer at least once, so when this is over the answer budget, so is
     * the answer.
     */
    public long countFetched(int bytes) {
        fetchedBytes += bytes;
        return fetchedBytes + heldBytes();
    }

    public long holdBytes(long bytes) {
        return heldInFlight.addAndGet(bytes);
    }

    public long takeHeldBytes() {
        return heldInFlight.getAndSet(0);
    }

    /** The bytes of the frames found so far (each distinct frame once). */
    public long heldBytes() {
        long held = 0;
        for (CachedFrame frame : found.values()) {
            held += frame.length();
        }
        return held;
    }

    public int foundCount() {
        return found.size();
    }

    @Override
    public String toString() {
        return instancePath() + "/frames/" + Arrays.toString(frames) + " as " + representation;
    }
}
