package org.framecache.proxy.inbound;

import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Remembers the client's method for the whole exchange: upstream calls replace the message headers, and answers
 * to HEAD must carry no body (RFC 9110 §9.3.2), which the server would otherwise send.
 */
public final class InboundMethod {
    private static final String PROPERTY = "inboundMethod";
    /** The client's path, for the access log. */
    public static final String PATH_PROPERTY = "inboundPath";
    /** The server's response, for answers written piece by piece (upstream calls replace the message). */
    private static final String RESPONSE_PROPERTY = "inboundResponse";

    private InboundMethod() {
    }

    public static void remember(Exchange exchange) {
        exchange.setProperty(PROPERTY, exchange.getIn().getHeader(Exchange.HTTP_METHOD, "GET", String.class));
        exchange.setProperty(PATH_PROPERTY, exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class));
        if (exchange.getIn() instanceof HttpMessage http) {
            exchange.setProperty(RESPONSE_PROPERTY, http.getResponse());
        }
    }

    /** The server's response to this exchange; null when the exchange did not come from the HTTP server. */
    public static HttpServerResponse response(Exchange exchange) {
        return exchange.getProperty(RESPONSE_PROPERTY, HttpServerResponse.class);
    }

    public static String of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, "GET", String.class);
    }

    public static boolean isHead(Exchange exchange) {
        return "HEAD".equals(exchange.getProperty(PROPERTY, String.class));
    }
}
