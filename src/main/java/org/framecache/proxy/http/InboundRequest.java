package org.framecache.proxy.http;

import java.util.Collection;
import java.util.List;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

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
        };
    }
}
