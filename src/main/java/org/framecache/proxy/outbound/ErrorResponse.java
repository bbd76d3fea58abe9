package org.framecache.proxy.outbound;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.InboundMethod;
import org.framecache.proxy.multipart.MalformedMultipartException;

/**
 * Writes the one-line plain-text error answer chosen by the error policy in routes/error-handling.camel.yaml.
 * Camel wraps failures from splits and bean calls; the reason given is that of the failure itself.
 */
public final class ErrorResponse {

    /** A {@link ProxyException} knows its own status (and challenge, for 401). */
    public void proxyError(Exchange exchange) {
        ProxyException failure = find(caught(exchange), ProxyException.class);
        write(exchange, failure.getStatus(), failure.getMessage(), failure.getWwwAuthenticate());
        if (failure.getAllow() != null) {
            exchange.getMessage().setHeader("Allow", failure.getAllow());
        }
        if (failure.getRetryAfter() != null) {
            exchange.getMessage().setHeader("Retry-After", failure.getRetryAfter());
        }
    }

    /** Any other failure: the status the policy chose, and what happened. */
    public void respond(Exchange exchange, int status, String what) {
        Throwable cause = root(caught(exchange));
        String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
        write(exchange, status, what + detail, null);
    }

    /** The failure's own message, unwrapped, for logs. */
    public String reason(Exchange exchange) {
        Throwable caught = caught(exchange);
        Throwable known = find(caught, ProxyException.class);
        if (known == null) {
            known = find(caught, MalformedMultipartException.class);
        }
        Throwable cause = known != null ? known : root(caught);
        return cause == null ? "unknown failure" : cause.getMessage();
    }

    private static void write(Exchange exchange, int status, String reason, String challenge) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (challenge != null) {
            message.setHeader("WWW-Authenticate", challenge);
        }
        message.setBody(InboundMethod.isHead(exchange) ? null : oneLine(reason) + "\n");
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() > 500 ? line.substring(0, 500) : line;
    }

    private static Throwable caught(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable root(Throwable failure) {
        Throwable t = failure;
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
