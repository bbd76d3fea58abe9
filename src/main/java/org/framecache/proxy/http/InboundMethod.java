package org.framecache.proxy.http;

import org.apache.camel.Exchange;

/**
 * Remembers the client's method for the whole exchange: upstream calls replace the message headers, and answers
 * to HEAD must carry no body (RFC 9110 §9.3.2), which the server would otherwise send.
 */
public final class InboundMethod {
    private static final String PROPERTY = "inboundMethod";

    private InboundMethod() {
    }

    public static void remember(Exchange exchange) {
        exchange.setProperty(PROPERTY, exchange.getIn().getHeader(Exchange.HTTP_METHOD, "GET", String.class));
    }

    public static boolean isHead(Exchange exchange) {
        return "HEAD".equals(exchange.getProperty(PROPERTY, String.class));
    }
}
