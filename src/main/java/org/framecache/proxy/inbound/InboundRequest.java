package org.framecache.proxy.inbound;

import java.util.Collection;
import java.util.List;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * What the proxy reads of a client's request: its normalized path, raw query and headers. The same view over
 * Camel's message (in a route) and over the HTTP server's request (in-process hits answered before the route), so
 * both are read by the same code.
 */
public interface InboundRequest {
    /** The normalized path, as the HTTP server routed it. */
    String path();

    /** The raw query string, null when there is none. */
    String rawQuery();

    /** Every value of the header, joined by ", " (RFC 9110 §5.3); null when absent. */
    String header(String name);

    /**
     * The host (and port) the client addressed: the request's authority (Host in HTTP/1.1, :authority in HTTP/2),
     * or the Host header as sent when the server could not read it as one; null when absent.
     */
    String host();

    /** The address of the connection's peer (the client, or a reverse proxy in front); null when unknown. */
    String remoteAddress();

    static InboundRequest of(Message in) {
        return new InboundRequest() {
            @Override
            public String path() {
                return in.getHeader(Exchange.HTTP_PATH, String.class);
            }

            @Override
            public String rawQuery() {
                return in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
            }

            @Override
            public String header(String name) {
                Object value = in.getHeader(name);
                if (value instanceof Collection<?> values) {
                    return String.join(", ", values.stream().map(String::valueOf).toList());
                }
                return value == null ? null : value.toString();
            }

            @Override
            public String host() {
                return in instanceof HttpMessage http && http.getRequest() != null ? authority(http.getRequest()) : header("Host");
            }

            @Override
            public String remoteAddress() {
                return in.getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS) instanceof SocketAddress peer
                        ? peer.hostAddress() : null;
            }
        };
    }

    static InboundRequest of(RoutingContext context) {
        return new InboundRequest() {
            @Override
            public String path() {
                return context.normalizedPath();
            }

            @Override
            public String rawQuery() {
                return context.request().query();
            }

            @Override
            public String header(String name) {
                List<String> values = context.request().headers().getAll(name);
                return values.isEmpty() ? null : values.size() == 1 ? values.get(0) : String.join(", ", values);
            }

            @Override
            public String host() {
                return authority(context.request());
            }

            @Override
            public String remoteAddress() {
                SocketAddress peer = context.request().remoteAddress();
                return peer == null ? null : peer.hostAddress();
            }
        };
    }

    private static String authority(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return request.headers().get("Host");
        }
        return authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
    }
}
