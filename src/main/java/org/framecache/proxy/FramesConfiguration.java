package org.framecache.proxy;

import java.time.Duration;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.CollectBodies;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.FramePartValidator;
import org.framecache.proxy.frames.InFlightBytes;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.ops.AccessLog;
import org.framecache.proxy.render.RenderedFrames;
import org.framecache.proxy.server.RequestCompletion;

/**
 * Getting a request's frames: one fetch per frame in flight (and across replicas), the stored syntax of each
 * instance, which parts may be cached, whole-instance prefetch, and what is released when a request is done.
 */
public class FramesConfiguration implements CamelConfiguration {
    @PropertyInject("proxy.supported-transfer-syntaxes")
    String supportedSyntaxes;
    @PropertyInject("proxy.max-answer-bytes")
    long maxAnswerBytes;
    @PropertyInject("proxy.max-part-bytes")
    int maxPartBytes;
    @PropertyInject("cache.ttl-seconds")
    long ttlSeconds;
    @PropertyInject("proxy.coalesce-wait-ms")
    long coalesceWaitMillis;
    @PropertyInject("proxy.replica-marker-ms")
    long markerExpiryMillis;
    @PropertyInject("proxy.replica-wait-ms")
    long replicaWaitMillis;
    @PropertyInject("proxy.upstream-deadline-ms")
    long upstreamDeadlineMillis;
    @PropertyInject("prefetch.enabled")
    boolean prefetchEnabled;
    @PropertyInject("prefetch.min-frames")
    int prefetchMinFrames;
    @PropertyInject("prefetch.max-frames")
    int prefetchMaxFrames;
    @PropertyInject("prefetch.max-instance-bytes")
    int prefetchMaxBytes;
    @PropertyInject("prefetch.batch-frames")
    int prefetchBatch;
    @PropertyInject("prefetch.lock-seconds")
    long prefetchLockSeconds;

    @BindToRegistry
    public CollectBodies collectBodies() {
        return new CollectBodies();
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        InFlightBytes inFlightBytes = registry.lookupByNameAndType("inFlightBytes", InFlightBytes.class);
        FrameCache frameCache = registry.lookupByNameAndType("frameCache", FrameCache.class);
        InstanceAccess access = registry.lookupByNameAndType("instanceAccess", InstanceAccess.class);
        ImageCodecs codecs = registry.lookupByNameAndType("imageCodecs", ImageCodecs.class);
        Duration ttl = Duration.ofSeconds(ttlSeconds);

        registry.bind("framePartValidator",
                new FramePartValidator(Settings.list(supportedSyntaxes), maxAnswerBytes, inFlightBytes));
        StoredSyntaxes storedSyntaxes = new StoredSyntaxes(ttl, RenderedFrames.transcodable(codecs));
        registry.bind("storedSyntaxes", storedSyntaxes);
        registry.bind("instancePrefetcher", new InstancePrefetcher(frameCache, access, storedSyntaxes,
                context.createProducerTemplate(), Settings.list(supportedSyntaxes),
                prefetchEnabled ? prefetchMinFrames : Integer.MAX_VALUE, prefetchMaxFrames, prefetchMaxBytes,
                maxPartBytes, prefetchBatch, Duration.ofSeconds(prefetchLockSeconds), ttl));
        InFlightFrames inFlight = new InFlightFrames(frameCache, coalesceWaitMillis,
                Duration.ofMillis(markerExpiryMillis), Duration.ofMillis(replicaWaitMillis), upstreamDeadlineMillis);
        registry.bind("inFlightFrames", inFlight);
        registry.bind("requestCompletion", new RequestCompletion(inFlight, access,
                registry.lookupByNameAndType("accessLog", AccessLog.class), inFlightBytes));
    }
}
