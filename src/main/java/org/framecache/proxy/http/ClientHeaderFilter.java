package org.framecache.proxy.http;

import java.util.Set;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * What crosses the proxy's own HTTP boundary. Inbound: nothing that looks like Camel's steering headers
 * (a client must not set CamelHttpUri). Outbound: no Camel headers and no hop-by-hop headers, but everything the
 * routes meant to send, Cache-Control and Warning included (Camel's default filter drops those too).
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
}
