package org.framecache.proxy.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP server: Camel Main's own (camel.server.host/port, the platform-http routes), with limits on what
 * a client may hold open. Camel Main makes its server with {@code new HttpServerOptions()} and no way to set them,
 * before any configuration class runs, so it is told not to make one (camel.server.enabled = false) and
 * {@link #install} adds this one in its place:
 * <ul>
 * <li>{@code idleMillis}: a connection that sends and receives nothing that long is closed (an idle keep-alive, a
 * client that stopped mid-request, a stalled upload);</li>
 * <li>{@code headerMillis}: a new connection must have sent its first request's headers within that time, however
 * slowly it trickles them.</li>
 * </ul>
 * The management server (camel.management.*) is Camel Main's, unchanged. TLS is not offered here (terminate it in
 * front of the proxy).
 */
public final class InboundServer {
    private static final Logger LOG = LoggerFactory.getLogger(InboundServer.class);

    private InboundServer() {
    }

    /** Adds the HTTP server to the context (started with it), unless Camel Main made one after all. */
    public static void install(CamelContext context, String host, int port, long idleMillis, long headerMillis) {
        if (context.hasService(MainHttpServer.class) != null) {
            throw new IllegalStateException("camel.server.enabled must stay false: the proxy makes the HTTP server"
                    + " itself, with proxy.inbound-idle-timeout-ms and proxy.inbound-header-timeout-ms");
        }
        TimedMainServer server = new TimedMainServer(idleMillis, headerMillis);
        server.setCamelContext(context);
        server.setHost(host);
        server.setPort(port);
        try {
            context.addService(server, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the HTTP server", e);
        }
    }

    /** Camel Main's server, serving through {@link TimedVertxServer}. */
    static final class TimedMainServer extends MainHttpServer {
        private final long idleMillis;
        private final long headerMillis;
        private TimedVertxServer vertxServer;

        TimedMainServer(long idleMillis, long headerMillis) {
            this.idleMillis = idleMillis;
            this.headerMillis = headerMillis;
        }

        @Override
        protected void doInit() throws Exception {
            vertxServer = new TimedVertxServer(getConfiguration(), idleMillis, headerMillis);
            // the context stops it, as it would Camel Main's own
            getCamelContext().addService(vertxServer);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(vertxServer);
            super.doStart();
        }
    }

    /** What {@link VertxPlatformHttpServer#startServer()} does, with the timeouts in the server's options. */
    static final class TimedVertxServer extends VertxPlatformHttpServer {
        private final VertxPlatformHttpServerConfiguration configuration;
        private final long idleMillis;
        private final long headerMillis;
        /** Connections whose first request's headers are not in yet, with the timer that closes them. */
        private final Map<HttpConnection, Long> awaitingHeaders = new ConcurrentHashMap<>();
        private HttpServer server;
        private Vertx ownVertx;

        TimedVertxServer(VertxPlatformHttpServerConfiguration configuration, long idleMillis, long headerMillis) {
            super(configuration);
            this.configuration = configuration;
            this.idleMillis = idleMillis;
            this.headerMillis = headerMillis;
        }

        @Override
        protected void startServer() throws Exception {
            Vertx vertx = getVertx();
            // HTTP/1.1 only: with cleartext HTTP/2 on (Vert.x's default), a connection that sent half its headers was
            // announced to the connection handler only when it closed (measured), too late for the header timeout
            HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                    // a large upload sent with Expect: 100-continue (curl) goes on at once, not after the client's wait
                    .setHandle100ContinueAutomatically(true)
                    // request lines as long as clients could send over h2c before (a long frame list is answered by
                    // the proxy's own 400 with its reason, not the server's 414); headers stay at 8 KiB (431)
                    .setMaxInitialLineLength(8192);
            if (idleMillis > 0) {
                options.setIdleTimeout((int) idleMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
            }
            Router root = Router.router(vertx);
            root.route(configuration.getPath() + "*").subRouter(VertxPlatformHttpRouter.lookup(getCamelContext(),
                    VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort())));
            server = vertx.createHttpServer(options);
            if (headerMillis > 0) {
                server.connectionHandler(this::awaitHeaders);
            }
            server.requestHandler(request -> {
                if (!awaitingHeaders.isEmpty()) {
                    headersIn(request.connection());
                }
                String ambiguous = ambiguousFraming(request.headers());
                if (ambiguous != null) {
                    // RFC 9112 §3.2 and §6.3: a request two parties could read two ways is refused, and its connection
                    // closed, so nothing in front of the proxy and the proxy disagree on where requests start
                    request.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                            .putHeader("Connection", "close").end(ambiguous + "\n");
                    return;
                }
                root.handle(request);
            });
            server.listen(configuration.getBindPort(), configuration.getBindHost())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("HTTP server on {}:{}: idle connections closed after {} ms, request headers due within {} ms",
                    configuration.getBindHost(), configuration.getBindPort(), idleMillis, headerMillis);
        }

        /**
         * Why a request's head can be read two ways (two Host headers; two Content-Length headers), or null. Netty
         * reads Transfer-Encoding with Content-Length as chunked and drops the length (RFC 9112 §6.1) before this.
         */
        static String ambiguousFraming(MultiMap headers) {
            if (headers.getAll("Host").size() > 1) {
                return "more than one Host header";
            }
            if (headers.getAll("Content-Length").size() > 1) {
                return "more than one Content-Length header";
            }
            return null;
        }

        private void awaitHeaders(HttpConnection connection) {
            long timer = getVertx().setTimer(headerMillis, id -> {
                if (awaitingHeaders.remove(connection) != null) {
                    connection.close();
                }
            });
            awaitingHeaders.put(connection, timer);
            connection.closeHandler(closed -> headersIn(connection));
        }

        private void headersIn(HttpConnection connection) {
            Long timer = awaitingHeaders.remove(connection);
            if (timer != null) {
                getVertx().cancelTimer(timer);
            }
        }

        @Override
        protected Vertx createVertxInstance() {
            ownVertx = super.createVertxInstance();
            return ownVertx;
        }

        /** The server, then the Vert.x instance if this server made it (Camel's stop path uses its own executor). */
        @Override
        protected void doStop() throws Exception {
            stopServer();
            if (ownVertx != null) {
                try {
                    ownVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } finally {
                    ownVertx = null;
                }
            }
        }

        @Override
        protected void stopServer() {
            if (server == null) {
                return;
            }
            // as Camel's own server does on stop
            getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
            try {
                CompletableFuture<Void> closed = server.close().toCompletionStage().toCompletableFuture();
                closed.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Closing the HTTP server failed: {}", e.toString());
            } finally {
                server = null;
            }
        }
    }
}
