package org.framecache.proxy;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.framecache.proxy.http.AccessLog;
import org.framecache.proxy.http.InboundRequest;
import org.framecache.proxy.http.MultipartResponseWriter;
import org.framecache.proxy.http.MultipartResponseWriter.Answer;

/**
 * The hot tile, answered as soon as it arrives: a GET of {@code wado-frames} or {@code wado-rendered-frame} that
 * needs nothing outside this process (the store's acceptance of this caller for the instance is remembered, the
 * stored syntax is known where it matters, every frame is in the in-process tier) is answered on the HTTP server's
 * event loop, before its route, with no exchange and no thread hand-off. The answer is the route's own: the same
 * parser, access decision, representation, cache keys, response writer, access log and audit line. Everything else
 * (a miss, an unknown or refused caller, bad input, HEAD, a query string) goes on to the route unchanged.
 *
 * <p>It is on only while the routes running are the packaged ones ({@link PackagedRoutes}): a request path an
 * operator has edited is never bypassed.
 */
public final class InProcessHits implements Handler<RoutingContext> {
    public static final String FRAMES_ROUTE = "wado-frames";
    public static final String RENDERED_ROUTE = "wado-rendered-frame";

    private final String framesPath;
    private final String renderedPath;
    private final FrameRequestParser parser;
    private final InstanceAccess access;
    private final StoredSyntaxes syntaxes;
    private final FrameCache cache;
    private final MultipartResponseWriter writer;
    private final AccessLog accessLog;
    private final LongAdder answered = new LongAdder();
    private volatile boolean enabled;

    public InProcessHits(String prefix, FrameRequestParser parser, InstanceAccess access, StoredSyntaxes syntaxes,
                         FrameCache cache, MultipartResponseWriter writer, AccessLog accessLog) {
        // the paths of the two routes' platform-http endpoints, as the HTTP server's router holds them
        this.framesPath = prefix + "/studies/:study/series/:series/instances/:instance/frames/:frames";
        this.renderedPath = framesPath + "/rendered";
        this.parser = parser;
        this.access = access;
        this.syntaxes = syntaxes;
        this.cache = cache;
        this.writer = writer;
        this.accessLog = accessLog;
    }

    @Override
    public void handle(RoutingContext context) {
        if (!enabled || context.request().method() != HttpMethod.GET || context.request().query() != null) {
            context.next();
            return;
        }
        Route route = context.currentRoute();
        String routePath = route == null ? null : route.getPath();
        boolean rendered = renderedPath.equals(routePath);
        if (!rendered && !framesPath.equals(routePath)) {
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
        // the pieces as they are: each frame is copied once, into the connection
        response.end(Buffer.buffer(Unpooled.wrappedBuffer(answer.pieces())));
        answered.increment();
        log(context, rendered ? RENDERED_ROUTE : FRAMES_ROUTE, request, (System.nanoTime() - start) / 1_000_000);
    }

    /** The request, its frames in it, when everything is in this process; null when the route must answer. */
    private FrameRequest answerable(InboundRequest in, boolean rendered) {
        FrameRequest request = rendered ? parser.parseRendered(in) : parser.parseFrames(in);
        if (!access.acceptedFromMemory(request)) {
            return null;
        }
        if (!rendered) {
            if (syntaxes.mustProbe(request)) {
                return null;
            }
            syntaxes.choose(request);
        }
        return cache.lookupInProcess(request) ? request : null;
    }

    private void log(RoutingContext context, String route, FrameRequest request, long millis) {
        String path = context.normalizedPath();
        if (accessLog.writesDirectly()) {
            accessLog.record(route, "GET", path, 200, request, request.getForwardHeaders(), millis);
        } else {
            // a Camel endpoint may block: never on the event loop
            context.vertx().executeBlocking(() -> {
                accessLog.record(route, "GET", path, 200, request, request.getForwardHeaders(), millis);
                return null;
            }, false);
        }
    }

    /** Switched on once the routes are known to be the packaged ones. */
    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Requests answered here, before their route. */
    public long getAnswered() {
        return answered.sum();
    }
}
