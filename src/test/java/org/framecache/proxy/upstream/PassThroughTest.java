package org.framecache.proxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.PublicBaseUrl;
import org.framecache.proxy.testing.StartedCamelContext;
import org.junit.jupiter.api.Test;

/** What the pass-through sends to the store and gives back, on Camel messages. */
class PassThroughTest extends StartedCamelContext {
    private final PassThrough passThrough = new PassThrough("/dicomweb", List.of("Authorization"), false,
            "http://store.internal:8042/dicom-web", new PublicBaseUrl(List.of()));

    private static Exchange request(String method, String path, String query) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
        exchange.getIn().setHeader(Exchange.HTTP_PATH, path);
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY, query);
        exchange.getIn().setHeader("Host", "proxy.example");
        exchange.getIn().setHeader("Authorization", "Bearer t");
        exchange.getIn().setHeader("X-HTTP-Method-Override", "DELETE");
        return exchange;
    }

    @Test
    void theStoreSeesTheCheckedPathTheQueryAndOnlyMeaningfulHeaders() {
        Exchange exchange = request("GET", "/dicomweb/studies", "PatientName=Doe^J*&limit=5");
        passThrough.request(exchange);

        assertEquals("/studies", exchange.getIn().getHeader(Exchange.HTTP_PATH));
        assertEquals("PatientName=Doe%5EJ*&limit=5", exchange.getIn().getHeader(Exchange.HTTP_QUERY));
        assertEquals("Bearer t", exchange.getIn().getHeader("Authorization"));
        assertNull(exchange.getIn().getHeader("X-HTTP-Method-Override"));
        assertNull(exchange.getIn().getHeader("Host"));
    }

    @Test
    void aQueryWithControlCharactersOrABrokenEscapeIs400() {
        for (String query : List.of("a=b%0", "a=%zz", "a=b c", "a=\r\nX: y")) {
            ProxyException e = assertThrows(ProxyException.class, () -> passThrough.request(request("GET", "/dicomweb/studies", query)));
            assertEquals(400, e.getStatus(), query);
        }
    }

    @Test
    void locationsUnderTheStoreComeBackUnderTheProxy() {
        Exchange exchange = request("POST", "/dicomweb/studies", null);
        passThrough.request(exchange);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader("Location", "http://store.internal:8042/dicom-web/studies/1.2.3");
        exchange.getMessage().setHeader("Content-Location", "http://elsewhere.example/x");
        exchange.getMessage().setHeader("Set-Cookie", "session=1");
        passThrough.response(exchange);

        assertEquals("http://proxy.example/dicomweb/studies/1.2.3", exchange.getMessage().getHeader("Location"));
        assertEquals("http://elsewhere.example/x", exchange.getMessage().getHeader("Content-Location"));
        assertNull(exchange.getMessage().getHeader("Set-Cookie"), "the store's cookies stay with the store");
    }
}
