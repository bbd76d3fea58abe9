package org.framecache.proxy.http;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Base of the listeners that watch calls to the upstream store: only the exchange events they name reach them. */
abstract class UpstreamCallListener extends EventNotifierSupport {
    private final String upstreamUrl;
    private final boolean sending;

    /** @param sending true to see each call as it starts, false to see it when it has ended */
    UpstreamCallListener(String upstreamUrl, boolean sending) {
        this.upstreamUrl = upstreamUrl;
        this.sending = sending;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeSendingEvents(!sending);
        setIgnoreExchangeSentEvents(sending);
    }

    @Override
    public final void notify(CamelEvent event) {
        if (sending && event instanceof ExchangeSendingEvent e && e.getEndpoint().getEndpointUri().startsWith(upstreamUrl)) {
            upstreamCall(e.getExchange());
        } else if (!sending && event instanceof ExchangeSentEvent e
                && e.getEndpoint().getEndpointUri().startsWith(upstreamUrl)) {
            upstreamCall(e.getExchange());
        }
    }

    /** One call to the store, starting or ended. */
    protected abstract void upstreamCall(org.apache.camel.Exchange exchange);
}
