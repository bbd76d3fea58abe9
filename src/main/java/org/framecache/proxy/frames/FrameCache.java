package org.framecache.proxy.frames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.ExchangeProperty;

import org.framecache.proxy.cache.ByteCache;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.outbound.MultipartResponseWriter;

/**
 * The routes' view of the cache: finds the frames of a request (one round trip for all of them, fallback
 * representation included) and stores frames that passed validation. Keys are built from the store, the instance
 * UIDs, the frame number and the representation's tag, never from header text.
 */
public final class FrameCache {
    /** Keys in the first lookup round trip; later ones are sized from the values seen, up to the maximum. */
    static final int FIRST_LOOKUP = 16;
    static final int MAX_LOOKUP = 128;

    private final ByteCache cache;
    private final FrameKeys keys;
    private final ReplicaClaims replicaClaims;
    /** proxy.max-answer-bytes: what a lookup may load (from Redis, into heap) for one request. */
    private final long maxAnswerBytes;
    private final InFlightBytes inFlightBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder fetchedRaw = new LongAdder();
    private final LongAdder fetchedRendered = new LongAdder();

    public FrameCache(ByteCache cache, String keyPrefix, String upstreamUrl) {
        this(cache, keyPrefix, upstreamUrl, Long.MAX_VALUE);
    }

    public FrameCache(ByteCache cache, String keyPrefix, String upstreamUrl, long maxAnswerBytes) {
        this(cache, keyPrefix, upstreamUrl, maxAnswerBytes, new InFlightBytes(Long.MAX_VALUE));
    }

    public FrameCache(ByteCache cache, String keyPrefix, String upstreamUrl, long maxAnswerBytes,
                      InFlightBytes inFlightBytes) {
        this.cache = cache;
        this.keys = new FrameKeys(keyPrefix, upstreamUrl);
        this.replicaClaims = new ReplicaClaims(cache, keys);
        this.maxAnswerBytes = maxAnswerBytes;
        this.inFlightBytes = inFlightBytes;
    }

    /**
     * Puts every cached frame of the request, in its chosen representation, into it (one round trip). What stays
     * missing goes to the store. A rendered fallback is never looked up here: a client that asked for stored bytes gets
     * them once the store can give them (the fallback is cached under its rendered key, where only rendered requests
     * look).
     */
    public void lookup(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        found(request, request.distinctFrames(), request.getRepresentation(), false);
    }

    /**
     * After raw retrieval failed: the rendered fallback of the frames still missing, from the cache (this answer
     * only; the next request asks for the stored bytes again).
     */
    public void lookupFallback(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        int[] missing = request.getMissing();
        if (request.getFallback() != null && missing.length > 0) {
            found(request, missing, request.getFallback(), true);
        }
    }

    /**
     * For answers given before the route: true when every frame of the request, in its chosen representation, is
     * in this process's tier (then they are put into the request, as cache hits); else false and the request is
     * left as it was (the route looks it up in every tier). Never waits on the network.
     */
    public boolean lookupInProcess(FrameRequest request) {
        int[] frames = request.distinctFrames();
        List<String> keys = new ArrayList<>(frames.length);
        for (int frame : frames) {
            keys.add(key(request, frame, request.getRepresentation()));
        }
        List<byte[]> values = cache.getAllInProcess(keys);
        CachedFrame[] found = new CachedFrame[frames.length];
        for (int i = 0; i < frames.length; i++) {
            found[i] = CachedFrame.decode(values.get(i));
            if (found[i] == null) {
                return false;
            }
        }
        for (int i = 0; i < frames.length; i++) {
            request.put(frames[i], found[i]);
            request.countFromCache();
            hits.increment();
        }
        return true;
    }

    /**
     * Looks the frames up a few keys at a time, the later round trips sized from the values already seen, and stops
     * with 413 once the frames found pass proxy.max-answer-bytes: a long list of large frames in Redis is never
     * loaded whole (a frame found is in the answer at least once).
     */
    private void found(FrameRequest request, int[] frames, Representation representation, boolean asFallback) {
        long held = request.heldBytes();
        int next = FIRST_LOOKUP;
        for (int at = 0, batch; at < frames.length; at += batch) {
            batch = Math.min(next, frames.length - at);
            List<String> keys = new ArrayList<>(batch);
            for (int i = at; i < at + batch; i++) {
                keys.add(key(request, frames[i], representation));
            }
            // in-process values first: they cost nothing more; what another tier loads is counted in flight
            List<byte[]> values = new ArrayList<>(cache.getAllInProcess(keys));
            List<String> elsewhere = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                if (values.get(i) == null) {
                    elsewhere.add(keys.get(i));
                }
            }
            if (!elsewhere.isEmpty()) {
                List<byte[]> loaded = cache.getAll(elsewhere);
                for (int i = 0, j = 0; i < batch; i++) {
                    if (values.get(i) == null) {
                        values.set(i, loaded.get(j++));
                        inFlightBytes.hold(request, values.get(i) == null ? 0 : values.get(i).length);
                    }
                }
            }
            long bytes = 0;
            int count = 0;
            for (int i = 0; i < batch; i++) {
                CachedFrame frame = CachedFrame.decode(values.get(i));
                if (frame != null) {
                    request.put(frames[at + i], frame);
                    if (asFallback) {
                        request.countFetched(true);
                    } else {
                        request.countFromCache();
                    }
                    hits.increment();
                    bytes += frame.length();
                    count++;
                }
            }
            held += bytes;
            if (held > maxAnswerBytes) {
                throw MultipartResponseWriter.tooLarge(maxAnswerBytes);
            }
            long average = count == 0 ? 0 : Math.max(1, bytes / count);
            next = average == 0 ? MAX_LOOKUP : (int) Math.max(1, Math.min(MAX_LOOKUP, (maxAnswerBytes - held) / average + 1));
        }
    }

    /** Adds fetched frames to the request and writes them to the cache in one round trip. */
    public void store(FrameRequest request, List<FetchedFrame> fetched) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (FetchedFrame frame : fetched) {
            byte[] value = frame.content().encode();
            entries.put(key(request, frame.frame(), frame.representation()), value);
            // the request serves the bytes now cached, not the part they were copied from: one copy of each frame
            request.put(frame.frame(), CachedFrame.decode(value));
            if (frame.representation().producedByProxy()) {
                request.countProduced(); // made here from stored frames: no store call of its own
                continue;
            }
            boolean fallback = frame.representation().rendered() && !request.getRepresentation().rendered();
            (fallback ? fetchedRendered : fetchedRaw).increment();
            request.countFetched(fallback);
        }
        cache.putAll(entries);
    }

    /** A value kept for the request's instance as a whole (e.g. its ICC profile), from any tier; null when absent. */
    public byte[] instanceValue(FrameRequest request, String tag) {
        return cache.getAll(List.of(keys.instance(request, tag))).get(0);
    }

    public void putInstanceValue(FrameRequest request, String tag, byte[] value) {
        cache.putAll(Map.of(keys.instance(request, tag), value));
    }

    /** Writes frames of the request's instance without keeping them (whole-instance prefetch, in batches). */
    public void write(FrameRequest instance, List<FetchedFrame> fetched) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (FetchedFrame frame : fetched) {
            entries.put(key(instance, frame.frame(), frame.representation()), frame.content().encode());
        }
        cache.putAll(entries);
    }

    /**
     * Across replicas sharing the cache: takes a loading marker for every frame this request is about to fetch.
     * Frames another replica is loading are awaited in the cache for at most {@code wait}; whatever has not
     * arrived by then is fetched here after all. Returns the markers taken, to release after the fetch.
     */
    public List<String> claimAcrossReplicas(FrameRequest request, Duration markerExpiry, Duration wait) {
        return replicaClaims.claim(request, markerExpiry, wait);
    }

    /** One marker (e.g. a prefetch lock): true when this caller now holds it. */
    public boolean claimMarker(String marker, Duration expiry) {
        return cache.mark(List.of(marker), expiry).get(0);
    }

    public void releaseMarkers(List<String> markers) {
        if (markers != null && !markers.isEmpty()) {
            cache.unmark(markers);
        }
    }

    public String describe() {
        return cache.describe();
    }

    public long sizeInBytes() {
        return cache.sizeInBytes();
    }

    public long evictions() {
        return cache.evictions();
    }

    /** Distinct frames found in the cache. */
    public long getHits() {
        return hits.sum();
    }

    /** Distinct frames fetched from the store as asked (raw frames, or rendered for the /rendered endpoint). */
    public long getFetched() {
        return fetchedRaw.sum();
    }

    /** Distinct frames fetched as rendered JPEG because raw retrieval failed. */
    public long getFetchedAsFallback() {
        return fetchedRendered.sum();
    }

    public String status() {
        return cache.status();
    }

    /** The key of a frame in a representation ({@link FrameKeys}). */
    String key(FrameRequest request, int frame, Representation representation) {
        return keys.frame(request, frame, representation);
    }

    /** A short, stable name for the upstream store, so that two stores never share entries. */
    static String storeId(String upstreamUrl) {
        return FrameKeys.storeId(upstreamUrl);
    }
}
