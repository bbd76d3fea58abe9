package org.framecache.proxy.upstream;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Base of the listeners that watch calls to the upstream store: only the exchange events they name reach them. */
abstract class UpstreamCallListener extends EventNotifierSupport {
    private final String upstreamUrl;
    private final boolean sending;
    private final boolean sent;

    /** @param sending to see each call as it starts; @param sent to see it when it has ended */
    UpstreamCallListener(String upstreamUrl, boolean sending, boolean sent) {
        this.upstreamUrl = upstreamUrl;
        this.sending = sending;
        this.sent = sent;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeSendingEvents(!sending);
        setIgnoreExchangeSentEvents(!sent);
    }

    @Override
    public final void notify(CamelEvent event) {
        if (sending && event instanceof ExchangeSendingEvent e && e.getEndpoint().getEndpointUri().startsWith(upstreamUrl)) {
            callStarting(e.getExchange());
        } else if (sent && event instanceof ExchangeSentEvent e && e.getEndpoint().getEndpointUri().startsWith(upstreamUrl)) {
            callEnded(e.getExchange(), e.getTimeTaken());
        }
    }

    /** A call to the store is about to be made. */
    protected void callStarting(Exchange exchange) {
    }

    /** A call to the store has ended, with its answer or its failure on the exchange. */
    protected void callEnded(Exchange exchange, long millis) {
    }
}
