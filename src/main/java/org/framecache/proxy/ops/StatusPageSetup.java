package org.framecache.proxy.ops;

import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.framecache.proxy.frames.FrameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the operators' status page at {@value #PATH} on the management server (the Vert.x server of
 * camel-platform-http-main that serves /observe/health and /observe/metrics), never on the proxy's own port, and
 * starts recording the errors it lists. The page's route is added to the management router once the context has
 * fully started, as camel-micrometer-prometheus adds /observe/metrics.
 */
public final class StatusPageSetup {
    public static final String PATH = "/observe/status";
    private static final Logger LOG = LoggerFactory.getLogger(StatusPageSetup.class);

    private StatusPageSetup() {
    }

    /** Called while the context is configured: binds {@code recentErrors} and {@code statusPage}. */
    public static StatusPage install(CamelContext context, FrameCache cache) {
        RecentErrors errors = new RecentErrors();
        context.getRegistry().bind("recentErrors", errors);
        context.getManagementStrategy().addEventNotifier(new ErrorAnswerRecorder(errors));
        StatusPage page = new StatusPage(
                () -> context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class),
                cache, errors, context::getUptime, context.getName());
        context.getRegistry().bind("statusPage", page);
        try {
            context.addStartupListener(new StartupListener() {
                private Router servedOn;

                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                    Router router = managementRouter(started);
                    if (router == null) {
                        LOG.info("No management server: the status page ({}) is not served", PATH);
                    } else if (router != servedOn) {
                        serve(router, page);
                        servedOn = router;
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the status page", e);
        }
        return page;
    }

    private static Router managementRouter(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null) {
            return null;
        }
        VertxPlatformHttpRouter router = server.getRouter();
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(server.getPort()));
        }
        if (router != null) {
            LOG.info("Status page at {} on the management port {}", PATH, server.getPort());
        }
        return router;
    }

    static void serve(Router router, StatusPage page) {
        // blocking: the cache's health check may ask Redis
        router.route(PATH).method(HttpMethod.GET).blockingHandler(ctx -> answer(ctx, page), false);
    }

    private static void answer(RoutingContext ctx, StatusPage page) {
        String html;
        try {
            html = page.render();
        } catch (RuntimeException e) {
            LOG.warn("Status page failed to render", e);
            ctx.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("status page failed to render: " + e);
            return;
        }
        ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                // no scripts, no external assets: only the page's own inline style
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .end(io.vertx.core.buffer.Buffer.buffer(html.getBytes(StandardCharsets.UTF_8)));
    }
}
