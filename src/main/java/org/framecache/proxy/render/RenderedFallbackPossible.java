package org.framecache.proxy.render;

import java.io.InterruptedIOException;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.framecache.proxy.http.Failures;
import org.framecache.proxy.inbound.FrameRequest;

/**
 * After raw retrieval failed (the frames route's doCatch): true when the request has a rendered fallback (switched on,
 * and the client accepts baseline JPEG frames) and the store did not run out of time or connections (a timeout
 * anywhere in the failure's causes: a store past its deadline is not asked again, the client gets 504). A predicate
 * read through the ref language, which sees the exchange's exception as it is (a bean call would not).
 */
public final class RenderedFallbackPossible implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        if (request == null || request.getFallback() == null) {
            return false;
        }
        return Failures.of(exchange).noneMatch(InterruptedIOException.class::isInstance);
    }
}
