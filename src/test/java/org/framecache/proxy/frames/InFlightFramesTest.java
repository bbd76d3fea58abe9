package org.framecache.proxy.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.cache.MemoryByteCache;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameClaim;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.testing.StartedCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Two requests that each fetch a frame the other waits for (A claimed 1 and waits for 2, B claimed 2 and waits
 * for 1, which concurrent requests for "1,2" and "2,1" can reach) must not wait for each other: each hands over
 * what it fetched before it waits, and the routes do the steps in that order.
 */
class InFlightFramesTest extends StartedCamelContext {
    private final FrameCache cache = new FrameCache(new MemoryByteCache(1 << 20, Duration.ofMinutes(1)), "t:", "http://s");
    private final InFlightFrames inFlight = new InFlightFrames(cache, 5000, Duration.ofSeconds(1), Duration.ZERO);

    private Exchange exchange(FrameRequest request) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(FrameRequest.PROPERTY, request);
        return exchange;
    }

    @Test
    void aClaimCycleResolvesWhenFetchedFramesAreHandedOverBeforeWaiting() throws Exception {
        FrameRequest a = new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {1, 2}, Representation.stored(), null, Map.of(), "");
        FrameRequest b = new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {2, 1}, Representation.stored(), null, Map.of(), "");
        CompletableFuture<CachedFrame> one = new CompletableFuture<>();
        CompletableFuture<CachedFrame> two = new CompletableFuture<>();
        a.claim(1, new FrameClaim("k1", one));
        a.await(2, two);
        b.claim(2, new FrameClaim("k2", two));
        b.await(1, one);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> fetchReleaseAwait(a, 1));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> fetchReleaseAwait(b, 2));
        first.get(3, TimeUnit.SECONDS);
        second.get(3, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {2}, a.get(2).bytes());
        assertArrayEquals(new byte[] {1}, b.get(1).bytes());
    }

    /** What the frames route does for a request: fetch its claimed frame, release, then await the others. */
    private void fetchReleaseAwait(FrameRequest request, int claimed) {
        request.put(claimed, new CachedFrame("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", new byte[] {(byte) claimed}));
        Exchange exchange = exchange(request);
        inFlight.release(exchange);
        inFlight.await(request);
    }

    @Test
    void theRoutesReleaseBeforeTheyAwait() throws Exception {
        for (String[] route : new String[][] {
            {"routes/frames.camel.yaml", "id: release-claims-after-fetch", "id: await-coalesced-frames"},
            {"routes/rendered.camel.yaml", "id: release-rendered-claim-after-fetch", "id: await-coalesced-rendered-frame"}}) {
            String yaml = Files.readString(Path.of(route[0]));
            int release = yaml.indexOf(route[1]);
            int await = yaml.indexOf(route[2]);
            assertTrue(release > 0 && await > release, route[0] + ": the release step comes before the await step");
        }
    }
}
