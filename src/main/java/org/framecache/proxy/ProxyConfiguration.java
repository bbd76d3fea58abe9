package org.framecache.proxy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import java.util.Optional;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.cache.ByteCache;
import org.framecache.proxy.cache.EncryptedByteCache;
import org.framecache.proxy.cache.MemoryByteCache;
import org.framecache.proxy.cache.RedisByteCache;
import org.framecache.proxy.cache.RedisSettings;
import org.framecache.proxy.cache.TieredByteCache;
import org.framecache.proxy.cache.ValueCipher;
import org.framecache.proxy.frames.CollectBodies;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.FramePartValidator;
import org.framecache.proxy.frames.InFlightBytes;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.inbound.AcceptNegotiator;
import org.framecache.proxy.inbound.FrameRequestParser;
import org.framecache.proxy.inbound.PublicBaseUrl;
import org.framecache.proxy.local.DicomFolder;
import org.framecache.proxy.local.DicomFolderComponent;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.ops.AccessLog;
import org.framecache.proxy.ops.DegradedNotDownCheck;
import org.framecache.proxy.outbound.ErrorResponse;
import org.framecache.proxy.outbound.MultipartResponseWriter;
import org.framecache.proxy.render.DownsampledMetadata;
import org.framecache.proxy.render.RenderPool;
import org.framecache.proxy.render.RenderedFallbackPossible;
import org.framecache.proxy.render.RenderedFrames;
import org.framecache.proxy.render.SourceIccProfiles;
import org.framecache.proxy.server.Cors;
import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.server.InboundServer;
import org.framecache.proxy.server.PreRoutes;
import org.framecache.proxy.server.RequestCompletion;
import org.framecache.proxy.upstream.ClientHeaderFilter;
import org.framecache.proxy.upstream.PassThrough;
import org.framecache.proxy.upstream.StreamedRequestBody;
import org.framecache.proxy.upstream.UpstreamBreaker;
import org.framecache.proxy.upstream.UpstreamCallCounter;
import org.framecache.proxy.upstream.UpstreamConnections;
import org.framecache.proxy.upstream.UpstreamDeadlines;
import org.framecache.proxy.upstream.UpstreamRequest;
import org.framecache.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the small beans the routes call, from application.properties (every key is documented in the README).
 * Nothing here decides the request path: that is the YAML in routes/.
 */
public class ProxyConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyConfiguration.class);

    @PropertyInject("camel.server.port")
    int serverPort;
    @PropertyInject("proxy.prefix")
    String prefix;
    @PropertyInject("cors.allowed-origins")
    String corsOrigins;
    @PropertyInject("cors.max-age-seconds")
    int corsMaxAge;
    @PropertyInject("proxy.in-process-hits")
    boolean inProcessHitsOn;
    @PropertyInject("proxy.worker-threads")
    int workerThreads;
    @PropertyInject("proxy.upstream-url")
    String upstreamUrl;
    @PropertyInject("proxy.upstream-max-idle-ms")
    long upstreamMaxIdleMillis;
    @PropertyInject("proxy.upstream-deadline-ms")
    long upstreamDeadlineMillis;
    @PropertyInject("proxy.upstream-bulk-deadline-ms")
    long upstreamBulkDeadlineMillis;
    /** One thread aborting store calls at their deadline, for every camel-http client. */
    private final UpstreamDeadlines upstreamDeadlines = new UpstreamDeadlines();
    @PropertyInject("camel.server.host")
    String serverHost;
    @PropertyInject("proxy.inbound-idle-timeout-ms")
    long inboundIdleMillis;
    @PropertyInject("proxy.inbound-header-timeout-ms")
    long inboundHeaderMillis;
    @PropertyInject("proxy.max-request-body-bytes")
    long maxRequestBodyBytes;
    @PropertyInject("proxy.request-body-idle-ms")
    long requestBodyIdleMillis;
    @PropertyInject("proxy.max-frames-per-request")
    int maxFramesPerRequest;
    @PropertyInject("proxy.forward-headers")
    String forwardHeaders;
    @PropertyInject("proxy.allow-delete")
    boolean deleteAllowed;
    @PropertyInject("proxy.trusted-proxies")
    String trustedProxies;
    @PropertyInject("proxy.cache-control")
    String cacheControl;
    @PropertyInject("proxy.supported-transfer-syntaxes")
    String supportedSyntaxes;
    @PropertyInject("proxy.max-part-bytes")
    int maxPartBytes;
    @PropertyInject("proxy.max-answer-bytes")
    long maxAnswerBytes;
    @PropertyInject("proxy.max-inflight-bytes")
    long maxInflightBytes;
    private InFlightBytes inFlightBytes;
    @PropertyInject("fallback.rendered-enabled")
    boolean renderedFallback;
    @PropertyInject("fallback.rendered-parallelism")
    int renderedParallelism;
    @PropertyInject("render.threads")
    int renderThreads;
    @PropertyInject("render.queue")
    int renderQueue;
    @PropertyInject("render.max-memory-bytes")
    private long renderMaxMemoryBytes;
    @PropertyInject("render.deadline-ms")
    long renderDeadlineMillis;
    @PropertyInject("render.max-icc-bytes")
    int maxIccBytes;
    /** The decoders, encoders and transcoders that work on this machine, found once. */
    private ImageCodecs imageCodecs;
    @PropertyInject("cache.redis-url")
    String redisUrl;
    @PropertyInject("cache.redis-password")
    String redisPassword;
    @PropertyInject("cache.redis-user")
    String redisUser;
    @PropertyInject("cache.redis-cluster-nodes")
    String redisClusterNodes;
    @PropertyInject("cache.redis-sentinel-master")
    String redisSentinelMaster;
    @PropertyInject("cache.redis-sentinel-nodes")
    String redisSentinelNodes;
    @PropertyInject("cache.redis-sentinel-password")
    String redisSentinelPassword;
    @PropertyInject("cache.redis-tls")
    boolean redisTls;
    @PropertyInject("cache.redis-tls-ca-file")
    String redisTlsCaFile;
    @PropertyInject("cache.redis-tls-cert-file")
    String redisTlsCertFile;
    @PropertyInject("cache.redis-tls-key-file")
    String redisTlsKeyFile;
    @PropertyInject("cache.redis-tls-verify-hostname")
    boolean redisTlsVerifyHostname;
    @PropertyInject("cache.redis-timeout-ms")
    int redisTimeoutMillis;
    @PropertyInject("cache.redis-retry-ms")
    long redisRetryMillis;
    @PropertyInject("cache.redis-max-connections")
    int redisMaxConnections;
    @PropertyInject("cache.encryption-key")
    String encryptionKey;
    @PropertyInject("cache.encryption-old-key")
    String encryptionOldKey;
    @PropertyInject("cache.ttl-seconds")
    long ttlSeconds;
    @PropertyInject("cache.key-prefix")
    String keyPrefix;
    @PropertyInject("cache.memory-max-bytes")
    long memoryMaxBytes;
    @PropertyInject("proxy.coalesce-wait-ms")
    long coalesceWaitMillis;
    @PropertyInject("proxy.replica-marker-ms")
    long markerExpiryMillis;
    @PropertyInject("proxy.replica-wait-ms")
    long replicaWaitMillis;
    @PropertyInject("proxy.breaker-failures")
    int breakerFailures;
    @PropertyInject("proxy.breaker-open-ms")
    long breakerOpenMillis;
    @PropertyInject("access-log.endpoint")
    String accessLogEndpoint;
    @PropertyInject("access-log.format")
    String accessLogFormat;
    @PropertyInject("audit.endpoint")
    String auditEndpoint;
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
    @PropertyInject("auth.per-caller")
    boolean perCallerAccess;
    @PropertyInject("auth.decision-ttl-seconds")
    long decisionTtlSeconds;
    @PropertyInject("auth.hmac-key")
    String hmacKey;
    @PropertyInject("local-store.folder")
    String localFolder;
    /** What the cache keys name the store by: its URL, or the folder's path. */
    private String storeIdentity;
    /** The shared tier when its values are encrypted (for its metric), else null. */
    private EncryptedByteCache encryptedShared;

    @BindToRegistry
    public AcceptNegotiator acceptNegotiator() {
        return renderedNegotiator();
    }

    /** Rendered media types offered as the encoders here allow (JPEG and PNG always: the store renders those too). */
    private AcceptNegotiator renderedNegotiator() {
        ImageCodecs codecs = imageCodecs();
        return new AcceptNegotiator(type -> {
            if (codecs.encoder(type).isPresent() || type.equals("image/jpeg") || type.equals("image/png")) {
                return Optional.empty();
            }
            return Optional.of("no encoder for it works on this machine (the start-up log says why)");
        });
    }

    private synchronized ImageCodecs imageCodecs() {
        if (imageCodecs == null) {
            imageCodecs = new ImageCodecs();
        }
        return imageCodecs;
    }

    @BindToRegistry
    public FramePartValidator framePartValidator() {
        return new FramePartValidator(list(supportedSyntaxes), maxAnswerBytes, inFlightBytes());
    }

    /** One count for the whole process, shared by the beans that take bytes into heap for a request. */
    private synchronized InFlightBytes inFlightBytes() {
        if (inFlightBytes == null) {
            inFlightBytes = new InFlightBytes(maxInflightBytes);
        }
        return inFlightBytes;
    }

    @BindToRegistry
    public MultipartRelatedReader multipartRelatedReader() {
        return new MultipartRelatedReader(maxPartBytes);
    }

    @BindToRegistry
    public RenderedFallbackPossible renderedFallbackPossible() {
        return new RenderedFallbackPossible();
    }

    @BindToRegistry
    public CollectBodies collectBodies() {
        return new CollectBodies();
    }

    @BindToRegistry
    public ErrorResponse errorResponse() {
        return new ErrorResponse();
    }

    @BindToRegistry
    public UpstreamRequest upstreamRequest() {
        return new UpstreamRequest();
    }

    @BindToRegistry
    public UpstreamResponse upstreamResponse() {
        return new UpstreamResponse();
    }

    /** Instance metadata for downsample=N: what a metadata answer may be to be rewritten (proxy.max-answer-bytes, at most 2 GiB). */
    @BindToRegistry
    public DownsampledMetadata downsampledMetadata() {
        return new DownsampledMetadata((int) Math.min(Integer.MAX_VALUE - 16, maxAnswerBytes));
    }

    @BindToRegistry
    public PassThrough passThrough() {
        return new PassThrough(prefix, list(forwardHeaders), deleteAllowed, upstreamUrl, new PublicBaseUrl(list(trustedProxies)));
    }

    @BindToRegistry
    public UpstreamConnections upstreamConnections() {
        return new UpstreamConnections(upstreamMaxIdleMillis, upstreamDeadlineMillis, upstreamDeadlines);
    }

    /** For the calls that move whole instances (prefetch, pass-through): a longer deadline. */
    @BindToRegistry
    public UpstreamConnections upstreamBulkConnections() {
        return new UpstreamConnections(upstreamMaxIdleMillis, upstreamBulkDeadlineMillis, upstreamDeadlines);
    }

    @BindToRegistry
    public StreamedRequestBody streamedRequestBody() {
        return new StreamedRequestBody(maxRequestBodyBytes, requestBodyIdleMillis);
    }

    @BindToRegistry
    public MultipartResponseWriter responseWriter() {
        return new MultipartResponseWriter(cacheControl.strip(), maxAnswerBytes);
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        storeIdentity = upstreamUrl;
        if (!localFolder.isBlank()) {
            useLocalStore(context);
        }
        // Camel Main's HTTP server, with idle and header timeouts
        InboundServer.install(context, serverHost, serverPort, inboundIdleMillis, inboundHeaderMillis);
        // With the management server on a port of its own there are two Vert.x servers, and the engine would
        // attach the routes to the default port's router; name the main server's port explicitly.
        // The port is the one the main server really uses (which an environment override may have changed).
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine() {
            @Override
            public int getServerPort() {
                MainHttpServer server = context.hasService(MainHttpServer.class);
                return server != null ? server.getPort() : serverPort;
            }
        };
        // requests run on Vert.x worker threads and may block (upstream calls, coalescing waits): size the pool
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(workerThreads));
        PlatformHttpComponent platformHttp = context.getComponent("platform-http", PlatformHttpComponent.class);
        platformHttp.setEngine(engine);
        platformHttp.setHeaderFilterStrategy(new ClientHeaderFilter());
        FrameRequestParser parser = new FrameRequestParser(renderedNegotiator(), maxFramesPerRequest,
                list(forwardHeaders), renderedFallback, new PublicBaseUrl(list(trustedProxies)));
        registry.bind("frameRequestParser", parser);

        Duration ttl = Duration.ofSeconds(ttlSeconds);
        InstanceAccess access = new InstanceAccess(perCallerAccess, Duration.ofSeconds(decisionTtlSeconds), ttl, hmacKey,
                coalesceWaitMillis);
        access.setCallerDeadlineMillis(upstreamDeadlineMillis);
        registry.bind("instanceAccess", access);
        AccessLog accessLog = new AccessLog(context.createProducerTemplate(), access, accessLogEndpoint, auditEndpoint,
                accessLogFormat);
        registry.bind("accessLog", accessLog);
        // the in-process tier always; Redis behind it when configured (shared by the replicas)
        ByteCache memory = new MemoryByteCache(memoryMaxBytes, ttl);
        RedisSettings redis = new RedisSettings(redisUrl, redisClusterNodes, redisSentinelMaster, redisSentinelNodes,
                redisUser, redisPassword, redisSentinelPassword, redisTls, redisTlsCaFile, redisTlsCertFile,
                redisTlsKeyFile, redisTlsVerifyHostname, redisTimeoutMillis, redisMaxConnections);
        ByteCache cache = !redis.configured() ? memory
                : new TieredByteCache(memory, encryptedIfKeyed(new RedisByteCache(redis, ttl,
                        Duration.ofMillis(redisRetryMillis), keyPrefix)));
        FrameCache frameCache = new FrameCache(cache, keyPrefix, storeIdentity, maxAnswerBytes, inFlightBytes());
        registry.bind("frameCache", frameCache);
        // image operations: one pool for the process, the codecs found once
        RenderPool renderPool = new RenderPool(renderThreads > 0 ? renderThreads : Runtime.getRuntime().availableProcessors(),
                renderQueue, renderDeadlineMillis, renderMaxMemoryBytes);
        registry.bind("renderPool", renderPool);
        SourceIccProfiles sourceIccProfiles = new SourceIccProfiles(access, frameCache, storeIdentity, maxIccBytes, ttl);
        registry.bind("sourceIccProfiles", sourceIccProfiles);
        StoredSyntaxes storedSyntaxes = new StoredSyntaxes(ttl, RenderedFrames.transcodable(imageCodecs()));
        registry.bind("storedSyntaxes", storedSyntaxes);
        RenderedFrames renderedFrames = new RenderedFrames(imageCodecs(), new ImageOperations(), renderPool, storedSyntaxes,
                access, sourceIccProfiles, renderedFallback);
        registry.bind("renderedFrames", renderedFrames);
        InstancePrefetcher prefetcher = new InstancePrefetcher(frameCache, access, storedSyntaxes,
                context.createProducerTemplate(), list(supportedSyntaxes), prefetchEnabled ? prefetchMinFrames : Integer.MAX_VALUE,
                prefetchMaxFrames, prefetchMaxBytes, maxPartBytes, prefetchBatch, Duration.ofSeconds(prefetchLockSeconds), ttl);
        registry.bind("instancePrefetcher", prefetcher);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(DegradedNotDownCheck.frameCache(frameCache));
        }
        InProcessHits hits = new InProcessHits(prefix, parser, access, storedSyntaxes, renderedFrames, frameCache, responseWriter(), accessLog,
                route -> {
                    ServiceStatus status = context.getRouteController().getRouteStatus(route);
                    return status != null && status.isStarted();
                });
        registry.bind("inProcessHits", hits);
        PreRoutes.install(context, engine, corsOrigins.isBlank() ? null : Cors.handler(list(corsOrigins), corsMaxAge, prefix, deleteAllowed),
                inProcessHitsOn ? hits : null, ProxyMain.ROUTE_FILES);
        InFlightFrames inFlight = new InFlightFrames(frameCache, coalesceWaitMillis,
                Duration.ofMillis(markerExpiryMillis), Duration.ofMillis(replicaWaitMillis), upstreamDeadlineMillis);
        registry.bind("inFlightFrames", inFlight);
        registry.bind("requestCompletion", new RequestCompletion(inFlight, access, accessLog, inFlightBytes()));
        registry.bind("inFlightBytes", inFlightBytes());
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    accessLog.close();
                    renderPool.close();
                    cache.close();
                    upstreamDeadlines.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the cache for shutdown", e);
        }

        // one shared, bounded pool for rendered fallback calls: no per-request thread pools
        ExecutorService renderedPool = context.getExecutorServiceManager()
                .newFixedThreadPool(this, "rendered-fallback", renderedParallelism);
        registry.bind("renderedFallbackPool", renderedPool);

        UpstreamBreaker breaker = new UpstreamBreaker(upstreamUrl, breakerFailures, breakerOpenMillis);
        registry.bind("upstreamBreaker", breaker);
        context.getManagementStrategy().addEventNotifier(breaker);
        upstreamDeadlines.onExpired(breaker::deadlinePassed);

        UpstreamCallCounter counter = new UpstreamCallCounter(upstreamUrl);
        registry.bind("upstreamCalls", counter);
        context.getManagementStrategy().addEventNotifier(counter);

        // one registry for Camel's Prometheus support (camel.metrics.*) and ours: route metrics and ours in one scrape
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        ProxyMetrics.bind(meters, counter, inFlight, breaker, frameCache, access, accessLog);
        ProxyMetrics.bindPrefetch(meters, prefetcher);
        ProxyMetrics.bindRenderPool(meters, renderPool);
        ProxyMetrics.bindInProcessHits(meters, hits);
        ProxyMetrics.bindInFlightBytes(meters, inFlightBytes());
        if (encryptedShared != null) {
            ProxyMetrics.bindEncryption(meters, encryptedShared);
        }
        if (health != null) {
            health.register(DegradedNotDownCheck.store(breaker, upstreamUrl));
        }
        // operators' HTML page at /observe/status on the management server, with the last client-facing errors
        org.framecache.proxy.ops.StatusPageSetup.install(context, frameCache);

        LOG.info("Frames from {} cached in {}; rendered fallback {}", upstreamUrl, frameCache.describe(),
                renderedFallback ? "on (" + renderedParallelism + " parallel)" : "off");
    }

    /**
     * A folder of DICOM files as the store: indexed now, and the proxy's upstream (for the routes too) is the
     * {@link DicomFolderComponent} endpoint over it, called in process.
     */
    private void useLocalStore(CamelContext context) {
        Path root = Path.of(localFolder.strip()).toAbsolutePath().normalize();
        DicomFolder folder;
        try {
            folder = DicomFolder.index(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot index local-store.folder " + root + ": " + e.getMessage(), e);
        }
        context.addComponent(DicomFolderComponent.SCHEME, new DicomFolderComponent(folder));
        upstreamUrl = DicomFolderComponent.SCHEME + "://local";
        storeIdentity = DicomFolderComponent.SCHEME + ":" + root;
        context.getPropertiesComponent().addOverrideProperty("proxy.upstream-url", upstreamUrl);
        LOG.info("Store: the DICOM files in {} ({} instances)", root, folder.allInstances().size());
    }

    /** The shared tier as it is, or sealing its values when cache.encryption-key is set (the near tier stays plain). */
    private ByteCache encryptedIfKeyed(ByteCache shared) {
        if (encryptionKey == null || encryptionKey.isBlank()) {
            if (encryptionOldKey != null && !encryptionOldKey.isBlank()) {
                throw new IllegalArgumentException("cache.encryption-old-key is set without cache.encryption-key");
            }
            return shared;
        }
        encryptedShared = new EncryptedByteCache(shared, new ValueCipher(encryptionKey, encryptionOldKey));
        return encryptedShared;
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
