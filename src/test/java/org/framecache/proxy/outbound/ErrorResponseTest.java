package org.framecache.proxy.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.multipart.MalformedMultipartException;
import org.framecache.proxy.testing.StartedCamelContext;
import org.framecache.proxy.upstream.RawRetrievalException;
import org.framecache.proxy.upstream.UpstreamStatusException;
import org.junit.jupiter.api.Test;

/** The one-line plain-text answers of routes/error-handling.camel.yaml, from failures as Camel hands them over. */
class ErrorResponseTest extends StartedCamelContext {

    private final ErrorResponse errors = new ErrorResponse();

    /** An exchange as onException sees it: inbound headers still present, the failure as EXCEPTION_CAUGHT. */
    private static Exchange failed(Throwable failure) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader("Accept", "*/*");
        exchange.getIn().setHeader("Authorization", "Bearer secret");
        exchange.getIn().setHeader(Exchange.HTTP_PATH, "/dicomweb/studies/1/series/2/instances/3/frames/1");
        exchange.getIn().setBody("upstream body");
        if (failure != null) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        }
        return exchange;
    }

    private static String body(Exchange exchange) {
        return exchange.getMessage().getBody(String.class);
    }

    private static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static void assertPlainText(Exchange exchange) {
        assertEquals("text/plain; charset=utf-8", exchange.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertNull(exchange.getMessage().getHeader("Authorization"));
        assertNull(exchange.getMessage().getHeader(Exchange.HTTP_PATH));
        String body = body(exchange);
        assertTrue(body.endsWith("\n"), body);
        assertEquals(1, body.split("\n", -1).length - 1, "exactly one line: " + body);
        assertFalse(body.contains("\r"), body);
    }

    @Test
    void proxyExceptionWrappedBySplitKeepsItsStatusAndMessage() {
        Exchange exchange = failed(null);
        ProxyException cause = new RawRetrievalException("part 2 of the store's answer is empty");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new CamelExchangeException("Sequential processing failed for number 1", exchange, cause));

        errors.proxyError(exchange);

        assertEquals(502, status(exchange));
        assertEquals("part 2 of the store's answer is empty\n", body(exchange));
        assertPlainText(exchange);
        assertNull(exchange.getMessage().getHeader("WWW-Authenticate"));
    }

    @Test
    void doublyWrappedProxyExceptionIsFound() {
        Exchange exchange = failed(null);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeCamelException(
                new CamelExchangeException("split failed", exchange, ProxyException.badRequest("bad frame list"))));

        errors.proxyError(exchange);

        assertEquals(400, status(exchange));
        assertEquals("bad frame list\n", body(exchange));
    }

    @Test
    void notAcceptableIs406() {
        Exchange exchange = failed(ProxyException.notAcceptable("none is acceptable"));

        errors.proxyError(exchange);

        assertEquals(406, status(exchange));
        assertEquals("none is acceptable\n", body(exchange));
        assertPlainText(exchange);
    }

    @Test
    void exceptionOnTheExchangeIsUsedWhenNotCaughtYet() {
        Exchange exchange = failed(null);
        exchange.setException(new UpstreamStatusException(404, "store answered 404: Unknown resource", null));

        errors.proxyError(exchange);

        assertEquals(404, status(exchange));
        assertEquals("store answered 404: Unknown resource\n", body(exchange));
    }

    @Test
    void unauthorizedPassesTheStoresChallengeOn() {
        Exchange exchange = failed(new CamelExchangeException("wrapped", null,
                new UpstreamStatusException(401, "store refused access (401)", "Bearer realm=\"dicomweb\"")));

        errors.proxyError(exchange);

        assertEquals(401, status(exchange));
        assertEquals("Bearer realm=\"dicomweb\"", exchange.getMessage().getHeader("WWW-Authenticate"));
        assertEquals("store refused access (401)\n", body(exchange));
        assertPlainText(exchange);
    }

    @Test
    void forbiddenWithoutChallengeSendsNone() {
        Exchange exchange = failed(new UpstreamStatusException(403, "store refused access (403)", null));

        errors.proxyError(exchange);

        assertEquals(403, status(exchange));
        assertFalse(exchange.getMessage().getHeaders().containsKey("WWW-Authenticate"));
    }

    @Test
    void multiLineMessageBecomesOneLine() {
        Exchange exchange = failed(new ProxyException(502, "store answered 500: first line\r\nsecond line\n"));

        errors.proxyError(exchange);

        assertEquals("store answered 500: first line second line\n", body(exchange));
        assertPlainText(exchange);
    }

    @Test
    void longMessageIsCut() {
        Exchange exchange = failed(new ProxyException(502, "x".repeat(2000)));

        errors.proxyError(exchange);

        assertEquals("x".repeat(500) + "\n", body(exchange));
    }

    @Test
    void respondAddsTheRootCauseMessage() {
        Exchange exchange = failed(new CamelExchangeException("Sequential processing failed", null,
                new MalformedMultipartException("multipart body truncated in part headers")));

        errors.respond(exchange, 502, "store answered a malformed multipart body");

        assertEquals(502, status(exchange));
        assertEquals("store answered a malformed multipart body: multipart body truncated in part headers\n",
                body(exchange));
        assertPlainText(exchange);
    }

    @Test
    void respondUsesTheDeepestCause() {
        Exchange exchange = failed(new RuntimeCamelException("outer",
                new IllegalStateException("middle", new ConnectException("Connection refused"))));

        errors.respond(exchange, 502, "upstream store unreachable");

        assertEquals("upstream store unreachable: Connection refused\n", body(exchange));
    }

    @Test
    void respondWithoutCauseMessageIsJustWhatHappened() {
        Exchange exchange = failed(new NullPointerException());

        errors.respond(exchange, 500, "internal error in the proxy");

        assertEquals(500, status(exchange));
        assertEquals("internal error in the proxy\n", body(exchange));
        assertPlainText(exchange);
    }

    @Test
    void respondWithoutAnyFailure() {
        Exchange exchange = failed(null);

        errors.respond(exchange, 504, "upstream store did not answer in time");

        assertEquals(504, status(exchange));
        assertEquals("upstream store did not answer in time\n", body(exchange));
    }

    @Test
    void respondKeepsAMultiLineCauseOnOneLine() {
        Exchange exchange = failed(new IllegalStateException("line one\nline two"));

        errors.respond(exchange, 500, "internal error in the proxy");

        assertEquals("internal error in the proxy: line one line two\n", body(exchange));
        assertPlainText(exchange);
    }

    @Test
    void reasonIsTheKnownFailureUnwrapped() {
        assertEquals("part 1 is image/jpeg, not a supported stored syntax", errors.reason(failed(
                new CamelExchangeException("split", null, new RawRetrievalException(
                        "part 1 is image/jpeg, not a supported stored syntax")))));
        assertEquals("no multipart boundary found", errors.reason(failed(
                new RuntimeCamelException(new MalformedMultipartException("no multipart boundary found",
                        new IllegalStateException("inner"))))));
        assertEquals("Connection refused", errors.reason(failed(
                new RuntimeCamelException("outer", new ConnectException("Connection refused")))));
        assertEquals("unknown failure", errors.reason(failed(null)));
    }
}
