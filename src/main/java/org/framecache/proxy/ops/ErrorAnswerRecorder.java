package org.framecache.proxy.ops;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches inbound exchanges as they complete and records every error answer (status 400 and above) into
 * {@link RecentErrors}: the routes stay as they are. Only the client-facing routes count ({@code wado-*},
 * {@code dicomweb-*}); the reason is the one-line plain-text body the error policy writes. Bodies that are not
 * text already (a store's error answer streamed through) are never read, so nothing a client receives changes.
 */
public final class ErrorAnswerRecorder extends EventNotifierSupport {
    private final RecentErrors errors;

    public ErrorAnswerRecorder(RecentErrors errors) {
        this.errors = errors;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
        // completed (including failures the error policy handled) and failed (anything it did not) are wanted
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (!clientFacing(exchange.getFromRouteId())) {
            return;
        }
        if (event instanceof ExchangeFailedEvent) {
            // a failure no policy handled: the platform answers 500
            Exception failure = exchange.getException();
            errors.record(500, failure == null || failure.getMessage() == null ? "unhandled failure" : failure.getMessage());
            return;
        }
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status >= 400) {
            errors.record(status, reason(message));
        }
    }

    static boolean clientFacing(String routeId) {
        return routeId != null && (routeId.startsWith("wado-") || routeId.startsWith("dicomweb-"));
    }

    private static String reason(Message message) {
        Object body = message.getBody();
        if (body instanceof String text) {
            return text;
        }
        return body == null ? "(no reason given)" : "(the store's answer, passed through)";
    }
}
