package org.framecache.proxy.upstream;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * What crosses the proxy's own HTTP boundary. Inbound: only the client's real request headers, and none that looks
 * like Camel's steering headers (a client must not set CamelHttpUri). Platform-http would also turn every query
 * parameter and form field into a message header ({@code ?Authorization=...}): a value that is not among the request's
 * own header values is dropped here, so no query parameter can set a header the routes read or forward.
 * Outbound: no Camel headers and no hop-by-hop headers, but everything the routes meant to send, Cache-Control and
 * Warning included (Camel's default filter drops those too).
 */
public final class ClientHeaderFilter extends DefaultHeaderFilterStrategy {

    public ClientHeaderFilter() {
        setLowerCase(true);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        // the server frames the body itself; Content-Length passes only for HEAD answers, which have no body
        setOutFilter(Set.of("host", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                "proxy-connection"));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        if (super.applyFilterToExternalHeaders(headerName, headerValue, exchange)) {
            return true;
        }
        if (exchange != null && exchange.getIn() instanceof HttpMessage http && http.getRequest() != null) {
            return !http.getRequest().headers().getAll(headerName).contains(String.valueOf(headerValue));
        }
        return false;
    }
}
