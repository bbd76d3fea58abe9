package org.framecache.proxy.server;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP server does before any route, in this order (as a Netty channel initializer lists its handlers).
 * Each handler answers a request or passes it on; what passes them all reaches its route.
 * <ol>
 *   <li>CORS ({@code cors.allowed-origins}; none when empty): answers preflights, puts its headers on every answer;</li>
 *   <li>in-process hits ({@code proxy.in-process-hits}): the hot tile answered from this process, only while the
 *       routes it stands in for are the ones it was checked against ({@link StandInRoutes}) and the context is not
 *       stopping.</li>
 * </ol>
 */
public final class PreRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PreRoutes.class);

    private PreRoutes() {
    }

    /** The handlers in the order they run; a null one is left out (switched off). */
    static List<Handler<RoutingContext>> inOrder(Handler<RoutingContext> cors, InProcessHits hits) {
        List<Handler<RoutingContext>> handlers = new ArrayList<>();
        if (cors != null) {
            handlers.add(cors);
        }
        if (hits != null) {
            handlers.add(hits);
        }
        return handlers;
    }

    /**
     * Puts the handlers before every route of the engine; in-process hits (when given) answer once the stand-in
     * routes, read from the route files matching {@code routeFiles}, are found to be the known ones.
     */
    public static void install(CamelContext context, VertxPlatformHttpEngine engine, Handler<RoutingContext> cors,
                               InProcessHits hits, String routeFiles) {
        engine.setHandlers(inOrder(cors, hits));
        if (hits != null) {
            answerHitsWhileStandInRoutesServe(context, hits, routeFiles);
        } else {
            LOG.info("In-process hits are off (proxy.in-process-hits=false): every request goes through its route");
        }
    }

    /**
     * In-process hits are answered only while the stand-in routes are the known ones (checked once every route has
     * started) and the context is not stopping; each request also needs its route started ({@link InProcessHits}).
     */
    private static void answerHitsWhileStandInRoutesServe(CamelContext context, InProcessHits hits, String routeFiles) {
        StartupListener check = new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                String differences = StandInRoutes.differences(started, routeFiles);
                hits.setEnabled(differences == null);
                if (differences == null) {
                    LOG.info("In-process hits are answered before their routes (the routes are the known ones)");
                } else {
                    LOG.info("Every request goes through its route ({}): in-process hits are not answered before it",
                            differences);
                }
            }
        };
        EventNotifierSupport stopping = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                hits.setEnabled(false); // shutting down: the routes answer (or refuse) what is left
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        };
        stopping.setIgnoreExchangeEvents(true);
        context.getManagementStrategy().addEventNotifier(stopping);
        try {
            context.addStartupListener(check);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the start-up check of the routes", e);
        }
    }
}
