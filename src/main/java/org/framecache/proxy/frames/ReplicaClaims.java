package org.framecache.proxy.frames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.framecache.proxy.cache.ByteCache;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameRequest;

/**
 * Concurrent misses across replicas sharing the cache cost one upstream request: a short loading marker per frame
 * (SET NX with an expiry), and the replicas that did not get it poll the cache for the frame instead of fetching it.
 */
final class ReplicaClaims {
    private static final long REPLICA_POLL_MILLIS = 20;

    private final ByteCache cache;
    private final FrameKeys keys;

    ReplicaClaims(ByteCache cache, FrameKeys keys) {
        this.cache = cache;
        this.keys = keys;
    }

    /**
     * Takes a loading marker for every frame this request is about to fetch. Frames another replica is loading are
     * awaited in the cache for at most {@code wait}; whatever has not arrived by then is fetched here after all.
     * Returns the markers taken, to release after the fetch.
     */
    List<String> claim(FrameRequest request, Duration markerExpiry, Duration wait) {
        int[] missing = request.getMissing();
        if (missing.length == 0) {
            return List.of();
        }
        List<String> markers = new ArrayList<>(missing.length);
        for (int frame : missing) {
            markers.add(keys.loading(request, frame, request.getRepresentation()));
        }
        List<Boolean> held = cache.mark(markers, markerExpiry);
        List<String> mine = new ArrayList<>();
        List<Integer> elsewhere = new ArrayList<>();
        for (int i = 0; i < missing.length; i++) {
            if (held.get(i)) {
                mine.add(markers.get(i));
            } else {
                elsewhere.add(missing[i]);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (!elsewhere.isEmpty() && System.nanoTime() < deadline) {
            sleep(REPLICA_POLL_MILLIS);
            List<String> frameKeys = elsewhere.stream().map(f -> keys.frame(request, f, request.getRepresentation())).toList();
            List<byte[]> values = cache.getAll(frameKeys);
            for (int i = values.size() - 1; i >= 0; i--) {
                CachedFrame frame = CachedFrame.decode(values.get(i));
                if (frame != null) {
                    request.put(elsewhere.remove(i), frame);
                }
            }
        }
        return mine;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
