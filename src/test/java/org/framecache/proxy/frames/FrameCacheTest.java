package org.framecache.proxy.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.framecache.proxy.cache.ByteCache;
import org.framecache.proxy.cache.MemoryByteCache;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.testing.RecordingByteCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lookups and writes through an in-process cache, keyed by store, instance, frame and representation. */
class FrameCacheTest {
    private static final String UPSTREAM = "http://127.0.0.1:8042/dicom-web";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final Representation STORED = Representation.stored();
    private static final Representation JPEG = Representation.raw("image/jpeg", JPEG_BASELINE);
    private static final Representation RENDERED = Representation.rendered("image/jpeg", "");

    private final MemoryByteCache bytes = new MemoryByteCache(16 << 20, Duration.ofMinutes(5));
    private final FrameCache cache = new FrameCache(bytes, "dwfc:", UPSTREAM);

    @AfterEach
    void closeCache() {
        bytes.close();
    }

    private static FrameRequest request(Representation representation, Representation fallback, int... frames) {
        return request("1.2.3.4.5", representation, fallback, frames);
    }

    private static FrameRequest request(String instance, Representation representation, Representation fallback,
                                        int... frames) {
        return new FrameRequest("1.2.3", "1.2.3.4", instance, frames, representation, fallback, Map.of(), "http://h");
    }

    private static CachedFrame frame(String type, String content) {
        return new CachedFrame(type, content.getBytes(StandardCharsets.US_ASCII));
    }

    private static CachedFrame jpeg(String content) {
        return frame("image/jpeg; transfer-syntax=" + JPEG_BASELINE, content);
    }

    private static void assertFrame(CachedFrame expected, CachedFrame actual) {
        assertNotNull(actual, "frame not found");
        assertEquals(expected.contentType(), actual.contentType());
        assertArrayEquals(expected.bytes(), actual.bytes());
    }

    @Test
    void emptyCacheFindsNothing() {
        FrameRequest request = request(STORED, RENDERED, 5, 3, 3);

        cache.lookup(request);

        assertEquals(0, request.foundCount());
        assertArrayEquals(new int[] {5, 3}, request.getMissing());
        assertFalse(request.isComplete());
    }

    @Test
    void storeAddsFramesToTheRequestAndTheCache() {
        FrameRequest first = request(STORED, RENDERED, 5, 3, 3);
        CachedFrame five = jpeg("five");
        CachedFrame three = jpeg("three");

        cache.store(first, List.of(new FetchedFrame(5, STORED, five), new FetchedFrame(3, STORED, three)));

        assertTrue(first.isComplete());
        FrameRequest second = request(STORED, RENDERED, 3, 5, 3);
        cache.lookup(second);
        assertTrue(second.isComplete());
        assertEquals(2, second.foundCount());
        assertFrame(five, second.get(5));
        assertFrame(three, second.get(3));
    }

    @Test
    void partialHitLeavesTheRestMissingInRequestOrder() {
        cache.store(request(STORED, null, 3), List.of(new FetchedFrame(3, STORED, jpeg("three"))));

        FrameRequest request = request(STORED, null, 7, 3, 9, 7);
        cache.lookup(request);

        assertFrame(jpeg("three"), request.get(3));
        assertArrayEquals(new int[] {7, 9}, request.getMissing());
    }

    @Test
    void otherRepresentationIsAMiss() {
        cache.store(request(STORED, null, 1), List.of(new FetchedFrame(1, STORED, jpeg("stored"))));

        FrameRequest asJpeg = request(JPEG, null, 1);
        cache.lookup(asJpeg);
        assertNull(asJpeg.get(1));

        cache.store(asJpeg, List.of(new FetchedFrame(1, JPEG, jpeg("baseline"))));
        FrameRequest stored = request(STORED, null, 1);
        FrameRequest baseline = request(JPEG, null, 1);
        cache.lookup(stored);
        cache.lookup(baseline);
        assertFrame(jpeg("stored"), stored.get(1));
        assertFrame(jpeg("baseline"), baseline.get(1));
    }

    @Test
    void renderedQueriesAreSeparateEntries() {
        Representation quality90 = Representation.rendered("image/jpeg", "quality=90");
        cache.store(request(quality90, null, 1), List.of(new FetchedFrame(1, quality90, frame("image/jpeg", "q90"))));

        FrameRequest plain = request(RENDERED, null, 1);
        cache.lookup(plain);
        assertNull(plain.get(1));

        FrameRequest again = request(Representation.rendered("image/jpeg", "quality=90"), null, 1);
        cache.lookup(again);
        assertFrame(frame("image/jpeg", "q90"), again.get(1));
    }

    @Test
    void otherInstanceIsAMiss() {
        cache.store(request(STORED, null, 1), List.of(new FetchedFrame(1, STORED, jpeg("a"))));

        FrameRequest other = request("1.2.3.4.6", STORED, null, 1);
        cache.lookup(other);

        assertNull(other.get(1));
    }

    @Test
    void storesBehindDifferentUpstreamsDoNotShareEntries() {
        FrameCache otherStore = new FrameCache(bytes, "dwfc:", "http://other-pacs:8042/dicom-web");
        cache.store(request(STORED, null, 1), List.of(new FetchedFrame(1, STORED, jpeg("ours"))));

        FrameRequest viaOther = request(STORED, null, 1);
        otherStore.lookup(viaOther);
        assertNull(viaOther.get(1));

        otherStore.store(viaOther, List.of(new FetchedFrame(1, STORED, jpeg("theirs"))));
        FrameRequest viaUs = request(STORED, null, 1);
        cache.lookup(viaUs);
        assertFrame(jpeg("ours"), viaUs.get(1));
    }

    @Test
    void keysNameStoreInstanceFrameAndRepresentation() {
        FrameRequest request = request(STORED, null, 1);
        String key = cache.key(request, 7, JPEG);

        assertEquals("dwfc:" + FrameCache.storeId(UPSTREAM) + ":1.2.3:1.2.3.4:{1.2.3.4.5}:7:raw:image/jpeg:" + JPEG_BASELINE, key);
        assertEquals(redis.clients.jedis.util.JedisClusterCRC16.getSlot(key),
                redis.clients.jedis.util.JedisClusterCRC16.getSlot(cache.key(request, 900, RENDERED) + ":loading"),
                "a Redis Cluster keeps an instance's frames and markers on one hash slot");
        assertTrue(FrameCache.storeId(UPSTREAM).matches("[0-9a-f]{12}"), FrameCache.storeId(UPSTREAM));
        assertNotEquals(FrameCache.storeId(UPSTREAM), FrameCache.storeId(UPSTREAM + "/"));
        assertNotEquals(cache.key(request, 7, STORED), key);
        assertNotEquals(cache.key(request, 7, RENDERED), cache.key(request, 7, STORED));
    }

    @Test
    void aRenderedFallbackIsNeverFoundByAStoredBytesRequest() {
        CachedFrame rendered = frame("image/jpeg", "rendered-3");
        cache.store(request(STORED, RENDERED, 3), List.of(new FetchedFrame(3, RENDERED, rendered)));
        cache.store(request(STORED, RENDERED, 5), List.of(new FetchedFrame(5, STORED, jpeg("raw-5"))));

        FrameRequest request = request(STORED, RENDERED, 5, 3);
        cache.lookup(request);

        assertFrame(jpeg("raw-5"), request.get(5));
        assertNull(request.get(3), "the substitute stays under its rendered key: the stored bytes are asked for again");
        assertArrayEquals(new int[] {3}, request.getMissing());

        FrameRequest renderedRequest = request(RENDERED, null, 3);
        cache.lookup(renderedRequest);
        assertFrame(rendered, renderedRequest.get(3));
    }

    @Test
    void lookupIsOneCallForTheChosenRepresentation() {
        RecordingByteCache recording = new RecordingByteCache(new MemoryByteCache(1 << 20, java.time.Duration.ofMinutes(1)));
        List<List<String>> calls = recording.lookups;
        FrameCache frameCache = new FrameCache(recording, "p:", UPSTREAM);
        FrameRequest request = request(STORED, RENDERED, 5, 3, 3);

        frameCache.lookup(request);

        assertEquals(List.of(List.of(frameCache.key(request, 5, STORED), frameCache.key(request, 3, STORED))), calls);
    }

    @Test
    void allPrimaryHitsCostOneCall() {
        MemoryByteCache memory = new MemoryByteCache(1 << 20, java.time.Duration.ofMinutes(1));
        RecordingByteCache recording = new RecordingByteCache(memory);
        List<List<String>> calls = recording.lookups;
        FrameCache frameCache = new FrameCache(recording, "p:", UPSTREAM);
        FrameRequest request = request(STORED, RENDERED, 5, 3);
        memory.putAll(Map.of(frameCache.key(request, 5, STORED), new CachedFrame("image/jpeg", new byte[] {1}).encode(),
                frameCache.key(request, 3, STORED), new CachedFrame("image/jpeg", new byte[] {2}).encode()));

        frameCache.lookup(request);

        assertEquals(1, calls.size(), "no fallback lookup when every frame was found");
        assertTrue(request.isComplete());
    }

    @Test
    void aLookupLoadsFramesAFewAtATimeAndStopsOnceOverTheAnswerBudget() {
        MemoryByteCache memory = new MemoryByteCache(64 << 20, Duration.ofMinutes(1));
        RecordingByteCache recording = new RecordingByteCache(memory);
        FrameCache frameCache = new FrameCache(recording, "p:", UPSTREAM, 4 << 20);
        RecordingByteCache firstRecording = recording;
        int[] forty = java.util.stream.IntStream.rangeClosed(1, 40).toArray();
        FrameRequest large = request(STORED, null, forty);
        for (int frame : forty) {
            memory.putAll(Map.of(frameCache.key(large, frame, STORED), new CachedFrame("image/jpeg", new byte[1 << 20]).encode()));
        }
        FrameCache budgeted = frameCache;
        ProxyException refused = assertThrows(ProxyException.class, () -> budgeted.lookup(large));
        assertEquals(413, refused.getStatus());
        assertEquals(List.of(FrameCache.FIRST_LOOKUP), firstRecording.lookups.stream().map(List::size).toList(),
                "one round trip of 16 keys, not all 40 values");

        // small frames: round trips grow with what fits (16 keys, then the other 84 at once)
        memory = new MemoryByteCache(1 << 20, Duration.ofMinutes(1));
        recording = new RecordingByteCache(memory);
        frameCache = new FrameCache(recording, "p:", UPSTREAM, 4 << 20);
        int[] hundred = java.util.stream.IntStream.rangeClosed(101, 200).toArray();
        FrameRequest small = request(STORED, null, hundred);
        for (int frame : hundred) {
            memory.putAll(Map.of(frameCache.key(small, frame, STORED), new CachedFrame("image/jpeg", new byte[100]).encode()));
        }
        frameCache.lookup(small);
        assertTrue(small.isComplete());
        assertEquals(List.of(16, 84), recording.lookups.stream().map(List::size).toList());
    }

    @Test
    void undecodableValueIsAMiss() {
        FrameRequest request = request(STORED, null, 1);
        bytes.putAll(Map.of(cache.key(request, 1, STORED), new byte[] {9, 0, 0}));

        cache.lookup(request);

        assertNull(request.get(1));
        assertArrayEquals(new int[] {1}, request.getMissing());
    }
}
