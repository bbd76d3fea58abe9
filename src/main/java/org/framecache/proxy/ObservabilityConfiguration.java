package org.framecache.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.cache.EncryptedByteCache;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.InFlightBytes;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.ops.AccessLog;
import org.framecache.proxy.ops.DegradedNotDownCheck;
import org.framecache.proxy.ops.StatusPageSetup;
import org.framecache.proxy.render.RenderPool;
import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.upstream.UpstreamBreaker;
import org.framecache.proxy.upstream.UpstreamCallCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators see: the proxy's meters next to Camel's, the readiness checks of what it can do without for a
 * while (the cache, the store), the status page. Last in {@link ProxyMain#CONFIGURATIONS}: it reads every other's beans.
 */
public class ObservabilityConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityConfiguration.class);

    @PropertyInject("fallback.rendered-enabled")
    boolean renderedFallback;
    @PropertyInject("fallback.rendered-parallelism")
    int renderedParallelism;

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        FrameCache frameCache = registry.lookupByNameAndType("frameCache", FrameCache.class);
        UpstreamBreaker breaker = registry.lookupByNameAndType("upstreamBreaker", UpstreamBreaker.class);
        String upstreamUrl = Settings.upstreamUrl(context);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(DegradedNotDownCheck.frameCache(frameCache));
            health.register(DegradedNotDownCheck.store(breaker, upstreamUrl));
        }

        // one registry for Camel's Prometheus support (camel.metrics.*) and ours: route metrics and ours in one scrape
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        ProxyMetrics.bind(meters, registry.lookupByNameAndType("upstreamCalls", UpstreamCallCounter.class),
                registry.lookupByNameAndType("inFlightFrames", InFlightFrames.class), breaker, frameCache,
                registry.lookupByNameAndType("instanceAccess", InstanceAccess.class),
                registry.lookupByNameAndType("accessLog", AccessLog.class));
        ProxyMetrics.bindPrefetch(meters, registry.lookupByNameAndType("instancePrefetcher", InstancePrefetcher.class));
        ProxyMetrics.bindRenderPool(meters, registry.lookupByNameAndType("renderPool", RenderPool.class));
        ProxyMetrics.bindInProcessHits(meters, registry.lookupByNameAndType("inProcessHits", InProcessHits.class));
        ProxyMetrics.bindInFlightBytes(meters, registry.lookupByNameAndType("inFlightBytes", InFlightBytes.class));
        EncryptedByteCache encryptedShared = registry.lookupByNameAndType(CacheConfiguration.ENCRYPTED_SHARED,
                EncryptedByteCache.class);
        if (encryptedShared != null) {
            ProxyMetrics.bindEncryption(meters, encryptedShared);
        }
        // operators' HTML page at /observe/status on the management server, with the last client-facing errors
        StatusPageSetup.install(context, frameCache);

        LOG.info("Frames from {} cached in {}; rendered fallback {}", upstreamUrl, frameCache.describe(),
                renderedFallback ? "on (" + renderedParallelism + " parallel)" : "off");
    }
}
