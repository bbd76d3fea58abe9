package org.framecache.proxy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.render.DownsampledMetadata;
import org.framecache.proxy.render.RenderPool;
import org.framecache.proxy.render.RenderedFallbackPossible;
import org.framecache.proxy.render.RenderedFrames;
import org.framecache.proxy.render.SourceIccProfiles;

/**
 * Rendered frames and transcoding: the codecs that work on this machine (found once), one render pool for the
 * process, source ICC profiles, virtual-level metadata, and the rendered fallback of raw retrieval.
 */
public class RenderConfiguration implements CamelConfiguration {
    @PropertyInject("fallback.rendered-enabled")
    boolean renderedFallback;
    @PropertyInject("render.max-icc-bytes")
    int maxIccBytes;
    @PropertyInject("cache.ttl-seconds")
    long ttlSeconds;
    @PropertyInject("local-store.folder")
    String localFolder;

    /** The decoders, encoders and transcoders that work on this machine, found once. */
    @BindToRegistry
    public ImageCodecs imageCodecs() {
        return new ImageCodecs();
    }

    /** The CPU work of image operations: render.threads threads (0: one per core), a bounded queue. */
    @BindToRegistry
    public RenderPool renderPool(@PropertyInject("render.threads") int threads, @PropertyInject("render.queue") int queue,
                                 @PropertyInject("render.deadline-ms") long deadlineMillis,
                                 @PropertyInject("render.max-memory-bytes") long maxMemoryBytes) {
        return new RenderPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), queue, deadlineMillis,
                maxMemoryBytes);
    }

    /** One shared, bounded pool for rendered fallback calls: no per-request thread pools. */
    @BindToRegistry
    public ExecutorService renderedFallbackPool(CamelContext context,
                                                @PropertyInject("fallback.rendered-parallelism") int parallelism) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "rendered-fallback", parallelism);
    }

    @BindToRegistry
    public RenderedFallbackPossible renderedFallbackPossible() {
        return new RenderedFallbackPossible();
    }

    /** Instance metadata for downsample=N: what a metadata answer may be to be rewritten (proxy.max-answer-bytes, at most 2 GiB). */
    @BindToRegistry
    public DownsampledMetadata downsampledMetadata(@PropertyInject("proxy.max-answer-bytes") long maxAnswerBytes) {
        return new DownsampledMetadata((int) Math.min(Integer.MAX_VALUE - 16, maxAnswerBytes));
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        InstanceAccess access = registry.lookupByNameAndType("instanceAccess", InstanceAccess.class);
        FrameCache frameCache = registry.lookupByNameAndType("frameCache", FrameCache.class);
        RenderPool renderPool = registry.lookupByNameAndType("renderPool", RenderPool.class);
        String storeIdentity = LocalStoreConfiguration.storeIdentity(localFolder, Settings.upstreamUrl(context));
        SourceIccProfiles sourceIccProfiles = new SourceIccProfiles(access, frameCache, storeIdentity, maxIccBytes,
                Duration.ofSeconds(ttlSeconds));
        registry.bind("sourceIccProfiles", sourceIccProfiles);
        registry.bind("renderedFrames", new RenderedFrames(registry.lookupByNameAndType("imageCodecs", ImageCodecs.class),
                new ImageOperations(), renderPool, registry.lookupByNameAndType("storedSyntaxes", StoredSyntaxes.class),
                access, sourceIccProfiles, renderedFallback));
        ClosedOnStop.register(context, "the render pool", renderPool::close);
    }
}
