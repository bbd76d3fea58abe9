package org.framecache.proxy;

import java.util.Optional;

import io.vertx.core.VertxOptions;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.spi.Registry;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.inbound.AcceptNegotiator;
import org.framecache.proxy.inbound.FrameRequestParser;
import org.framecache.proxy.inbound.PublicBaseUrl;
import org.framecache.proxy.ops.AccessLog;
import org.framecache.proxy.outbound.ErrorResponse;
import org.framecache.proxy.outbound.MultipartResponseWriter;
import org.framecache.proxy.render.RenderedFrames;
import org.framecache.proxy.server.Cors;
import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.server.InboundServer;
import org.framecache.proxy.server.PreRoutes;
import org.framecache.proxy.upstream.ClientHeaderFilter;

/**
 * The proxy's side of the client's connection: Camel Main's HTTP server with its limits, how a frame request is read
 * and answered, and what runs before the routes ({@link PreRoutes}: CORS, in-process hits).
 */
public class ServerConfiguration implements CamelConfiguration {
    @PropertyInject("camel.server.host")
    String serverHost;
    @PropertyInject("camel.server.port")
    int serverPort;
    @PropertyInject("proxy.inbound-idle-timeout-ms")
    long inboundIdleMillis;
    @PropertyInject("proxy.inbound-header-timeout-ms")
    long inboundHeaderMillis;
    @PropertyInject("proxy.worker-threads")
    int workerThreads;
    @PropertyInject("proxy.prefix")
    String prefix;
    @PropertyInject("proxy.max-frames-per-request")
    int maxFramesPerRequest;
    @PropertyInject("proxy.forward-headers")
    String forwardHeaders;
    @PropertyInject("proxy.trusted-proxies")
    String trustedProxies;
    @PropertyInject("proxy.allow-delete")
    boolean deleteAllowed;
    @PropertyInject("fallback.rendered-enabled")
    boolean renderedFallback;
    @PropertyInject("cors.allowed-origins")
    String corsOrigins;
    @PropertyInject("cors.max-age-seconds")
    int corsMaxAge;
    @PropertyInject("proxy.in-process-hits")
    boolean inProcessHits;

    @BindToRegistry
    public MultipartResponseWriter responseWriter(@PropertyInject("proxy.cache-control") String cacheControl,
                                                  @PropertyInject("proxy.max-answer-bytes") long maxAnswerBytes) {
        return new MultipartResponseWriter(cacheControl.strip(), maxAnswerBytes);
    }

    @BindToRegistry
    public ErrorResponse errorResponse() {
        return new ErrorResponse();
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
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

        FrameRequestParser parser = new FrameRequestParser(renderedNegotiator(registry.lookupByNameAndType("imageCodecs",
                ImageCodecs.class)), maxFramesPerRequest, Settings.list(forwardHeaders), renderedFallback,
                new PublicBaseUrl(Settings.list(trustedProxies)));
        registry.bind("frameRequestParser", parser);

        InProcessHits hits = new InProcessHits(prefix, parser,
                registry.lookupByNameAndType("instanceAccess", InstanceAccess.class),
                registry.lookupByNameAndType("storedSyntaxes", StoredSyntaxes.class),
                registry.lookupByNameAndType("renderedFrames", RenderedFrames.class),
                registry.lookupByNameAndType("frameCache", FrameCache.class),
                registry.lookupByNameAndType("responseWriter", MultipartResponseWriter.class),
                registry.lookupByNameAndType("accessLog", AccessLog.class),
                route -> {
                    ServiceStatus status = context.getRouteController().getRouteStatus(route);
                    return status != null && status.isStarted();
                });
        registry.bind("inProcessHits", hits);
        PreRoutes.install(context, engine,
                corsOrigins.isBlank() ? null : Cors.handler(Settings.list(corsOrigins), corsMaxAge, prefix, deleteAllowed),
                inProcessHits ? hits : null, ProxyMain.ROUTE_FILES);
    }

    /** Rendered media types offered as the encoders here allow (JPEG and PNG always: the store renders those too). */
    private static AcceptNegotiator renderedNegotiator(ImageCodecs codecs) {
        return new AcceptNegotiator(type -> {
            if (codecs.encoder(type).isPresent() || type.equals("image/jpeg") || type.equals("image/png")) {
                return Optional.empty();
            }
            return Optional.of("no encoder for it works on this machine (the start-up log says why)");
        });
    }
}
