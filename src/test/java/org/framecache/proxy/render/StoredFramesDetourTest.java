package org.framecache.proxy.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.inbound.VirtualLevel;
import org.junit.jupiter.api.Test;

/** The detour through the stored frames: a stored-bytes request for what is missing, then the outer request back. */
class StoredFramesDetourTest {
    private static final String JPEG = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";

    @Test
    void theStoredRequestAsksForTheMissingFramesAsTheSameCallerAndTheOuterComesBack() {
        FrameRequest outer = request(new int[] {3, 1, 3});
        outer.setCallerFingerprint("alice");
        outer.put(1, new CachedFrame("image/jpeg", new byte[1]));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(FrameRequest.PROPERTY, outer);
        Object markers = new Object();
        exchange.setProperty(InFlightFrames.MARKERS, markers);

        StoredFramesDetour.enter(exchange);
        FrameRequest stored = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        assertArrayEquals(new int[] {3}, stored.getFrames());
        assertTrue(stored.getRepresentation().isStored());
        assertEquals("alice", stored.getCallerFingerprint());
        assertNull(exchange.getProperty(InFlightFrames.MARKERS), "the outer request's markers wait aside");

        stored.holdBytes(42);
        StoredFramesDetour.leave(exchange, "stored");
        assertSame(outer, exchange.getProperty(FrameRequest.PROPERTY));
        assertSame(stored, exchange.getProperty("stored"));
        assertSame(markers, exchange.getProperty(InFlightFrames.MARKERS));
        assertEquals(42, outer.takeHeldBytes(), "the stored frames' bytes count as the outer request's");
        StoredFramesDetour.leave(exchange, "stored"); // once back, nothing more to do
        assertSame(outer, exchange.getProperty(FrameRequest.PROPERTY));
    }

    @Test
    void aVirtualFrameAsksForEveryStoredTileOfItsBlockOnce() {
        FrameRequest outer = request(new int[] {1, 2});
        outer.setVirtualLevel(new VirtualLevel(2, 256, 256, 1024, 512)); // 4 x 2 stored tiles, 2 x 1 level frames
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(FrameRequest.PROPERTY, outer);
        StoredFramesDetour.enter(exchange);
        assertArrayEquals(new int[] {1, 2, 5, 6, 3, 4, 7, 8},
                exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class).getFrames());
    }

    @Test
    void aStoredFrameMissingOrWithoutSyntaxIsA502() {
        FrameRequest stored = request(new int[] {1});
        stored.put(1, new CachedFrame(JPEG, new byte[] {1}));
        assertEquals("1.2.840.10008.1.2.4.50", StoredFrameDecoder.syntaxOf(StoredFrameDecoder.storedFrame(stored, 1)));
        assertEquals(502, assertThrows(ProxyException.class, () -> StoredFrameDecoder.storedFrame(stored, 2)).getStatus());
        assertEquals(502, assertThrows(ProxyException.class, () -> StoredFrameDecoder.storedFrame(null, 1)).getStatus());
        assertEquals(502, assertThrows(ProxyException.class,
                () -> StoredFrameDecoder.syntaxOf(new CachedFrame("image/jpeg", new byte[1]))).getStatus());
    }

    private static FrameRequest request(int[] frames) {
        return new FrameRequest("1.2", "1.2.3", "1.2.3.4", frames, Representation.stored(), null, Map.of(), "");
    }
}
