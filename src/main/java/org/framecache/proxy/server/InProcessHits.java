package org.framecache.proxy.server;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.FrameRequestParser;
import org.framecache.proxy.inbound.InboundRequest;
import org.framecache.proxy.ops.AccessLog;
import org.framecache.proxy.outbound.AnswerStream;
import org.framecache.proxy.outbound.MultipartResponseWriter.Answer;
import org.framecache.proxy.outbound.MultipartResponseWriter;
import org.framecache.proxy.render.RenderedFrames;

/**
 * The hot tile, answered as soon as it arrives: a GET of {@code wado-frames} or {@code wado-rendered-frame} that
 * needs nothing outside this process (the store's acceptance of this caller for the instance is remembered, the
 * stored syntax is known where it matters, every frame is in the in-process tier) is answered on the HTTP server's
 * event loop, before its route, with no exchange and no thread hand-off. The answer is the route's own: the same
 * parser, access decision, representation, cache keys, response writer, access log and audit line. Everything else
 * (a miss, an unknown or refused caller, bad input, HEAD, a query string, a full access-log queue) goes on to the
 * route unchanged.
 *
 * <p>It is on only while the routes it stands in for are the ones it was checked against ({@link StandInRoutes}), so
 * that a request path an operator has edited is never bypassed, and while both routes are started (a suspended or
 * stopping route answers for itself).
 */
public final class InProcessHits implements Handler<RoutingContext> {
    public static final String FRAMES_ROUTE = "wado-frames";
    public static final String RENDERED_ROUTE = "wado-rendered-frame";

    private final String framesPath;
    private final String renderedPath;
    private final FrameRequestParser parser;
    private final InstanceAccess access;
    private final StoredSyntaxes syntaxes;
    private final RenderedFrames renderedFrames;
    private final FrameCache cache;
    private final MultipartResponseWriter writer;
    private final AccessLog accessLog;
    private final LongAdder answered = new LongAdder();
    /** Route id → started (not stopped or suspended): a route that is not started answers for itself. */
    private final Predicate<String> routeStarted;
    private volatile boolean enabled;

    public InProcessHits(String prefix, FrameRequestParser parser, InstanceAccess access, StoredSyntaxes syntaxes,
                         RenderedFrames renderedFrames, FrameCache cache, MultipartResponseWriter writer, AccessLog accessLog,
                         Predicate<String> routeStarted) {
        this.routeStarted = routeStarted;
        // the paths of the two routes' platform-http endpoints, as the HTTP server's router holds them
        this.framesPath = prefix + "/studies/:study/series/:series/instances/:instance/frames/:frames";
        this.renderedPath = framesPath + "/rendered";
        this.parser = parser;
        this.access = access;
        this.syntaxes = syntaxes;
        this.renderedFrames = renderedFrames;
        this.cache = cache;
        this.writer = writer;
        this.accessLog = accessLog;
    }

    @Override
    public void handle(RoutingContext context) {
        if (!enabled || context.request().method() != HttpMethod.GET || context.request().query() != null
                || !accessLog.hasRoom()) {
            context.next();
            return;
        }
        Route route = context.currentRoute();
        String routePath = route == null ? null : route.getPath();
        boolean rendered = renderedPath.equals(routePath);
        if (!rendered && !framesPath.equals(routePath) || !routeStarted.test(rendered ? RENDERED_ROUTE : FRAMES_ROUTE)) {
            context.next();
            return;
        }
        long start = System.nanoTime();
        FrameRequest request;
        Answer answer;
        try {
            request = answerable(InboundRequest.of(context), rendered);
            answer = request == null ? null : rendered ? writer.rendered(request) : writer.frames(request);
        } catch (RuntimeException e) {
            answer = null; // bad input and the like: the route answers it, with the one error policy
            request = null;
        }
        if (answer == null) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response();
        response.putHeader("Content-Type", answer.contentType());
        writer.headers(response::putHeader);
        answered.increment();
        access.countRemembered();
        // the pieces as they are: each frame is copied once, into the connection (a large answer piece by piece, as
        // the connection takes them); the log says 200 only for an answer handed over whole
        FrameRequest served = request;
        String path = context.normalizedPath();
        AnswerStream.end(Vertx.currentContext(), response, answer.pieces()).onComplete(written ->
                accessLog.record(rendered ? RENDERED_ROUTE : FRAMES_ROUTE, "GET", path,
                        written.succeeded() ? 200 : MultipartResponseWriter.NOT_DELIVERED, served,
                        served.getForwardHeaders(), (System.nanoTime() - start) / 1_000_000));
    }

    /** The request, its frames in it, when everything is in this process; null when the route must answer. */
    private FrameRequest answerable(InboundRequest in, boolean rendered) {
        FrameRequest request = rendered ? parser.parseRendered(in) : parser.parseFrames(in);
        if (!access.acceptedFromMemory(request)) {
            return null;
        }
        if (rendered) {
            // as the rendered route: who renders decides the key (the proxy's, naming the stored syntax, or the store's)
            if (renderedFrames.storedSyntaxUnknown(request)) {
                return null;
            }
            renderedFrames.chooseRenderer(request);
        } else {
            if (syntaxes.mustProbe(request)) {
                return null;
            }
            syntaxes.choose(request);
        }
        return cache.lookupInProcess(request) ? request : null;
    }

    /**
     * On while the routes it stands in for are the ones this class was checked against ({@link StandInRoutes}) and
     * the context is not stopping.
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** True when requests of that route can be answered here now. */
    public boolean isEnabled(String route) {
        return enabled && routeStarted.test(route);
    }

    /** Requests answered here, before their route. */
    public long getAnswered() {
        return answered.sum();
    }
}
