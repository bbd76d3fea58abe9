package org.framecache.proxy.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.testing.StartedCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The inbound request as platform-http hands it over: headers only, path from CamelHttpPath. */
class FrameRequestParserTest extends StartedCamelContext {
    private static final String STUDY = "1.2.3";
    private static final String SERIES = "1.2.3.4";
    private static final String INSTANCE = "1.2.3.4.5";
    private static final String INSTANCE_PATH = "/dicomweb/studies/" + STUDY + "/series/" + SERIES + "/instances/" + INSTANCE;
    private static final String STORED = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";


    private final FrameRequestParser parser = new FrameRequestParser(new AcceptNegotiator(), 4, List.of("Authorization"), true);
    /** Behind a reverse proxy at 10.1.2.3, the only address it trusts for X-Forwarded-* and Forwarded. */
    private final FrameRequestParser behindProxy = new FrameRequestParser(new AcceptNegotiator(), 4, List.of("Authorization"),
            true, new PublicBaseUrl(List.of("10.1.2.3", "10.0.0.0/24", "fd00::/8")));

    private static Exchange from(String address, Exchange exchange) {
        exchange.getIn().setHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS, SocketAddress.inetSocketAddress(40000, address));
        return exchange;
    }

    private static Exchange request(String path) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(Exchange.HTTP_PATH, path);
        exchange.getIn().setHeader("Host", "proxy.example:8080");
        return exchange;
    }

    private static Exchange frames(String list) {
        return request(INSTANCE_PATH + "/frames/" + list);
    }

    private static Exchange rendered(String frame) {
        return request(INSTANCE_PATH + "/frames/" + frame + "/rendered");
    }

    private ProxyException badFrames(Exchange exchange) {
        ProxyException e = assertThrows(ProxyException.class, () -> parser.parseFrames(exchange));
        assertEquals(400, e.getStatus(), e.getMessage());
        return e;
    }

    // --- path and frame list ---

    @Test
    void framesKeepRequestOrderAndDuplicates() {
        FrameRequest request = parser.parseFrames(frames("5,3,3"));

        assertEquals(STUDY, request.getStudy());
        assertEquals(SERIES, request.getSeries());
        assertEquals(INSTANCE, request.getInstance());
        assertArrayEquals(new int[] {5, 3, 3}, request.getFrames());
        assertArrayEquals(new int[] {5, 3}, request.distinctFrames());
        assertArrayEquals(new int[] {5, 3}, request.getMissing());
        assertEquals("/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5", request.instancePath());
    }

    @Test
    void aPercentEncodedCommaIsAComma() {
        assertArrayEquals(new int[] {1, 2, 3}, parser.parseFrames(frames("1%2C2%2c3")).getFrames());
        assertTrue(badFrames(frames("1%2C%2C2")).getMessage().contains("separated by commas"));
    }

    @Test
    void singleLargestIntFrameIsAccepted() {
        FrameRequest request = parser.parseFrames(frames(Integer.toString(Integer.MAX_VALUE)));

        assertArrayEquals(new int[] {Integer.MAX_VALUE}, request.getFrames());
    }

    @Test
    void frameZeroIsRejected() {
        ProxyException e = badFrames(frames("5,0"));
        assertTrue(e.getMessage().contains("start at 1"), e.getMessage());
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1,-2", "a", "1,b", "1e3", "1,,2", ",1", "1,", "1, 2", " 1", "1;2", "0x10", ""})
    void malformedFrameListsAreRejectedWithTheOffendingList(String list) {
        ProxyException e = badFrames(frames(list));
        assertTrue(e.getMessage().startsWith("frame list must be frame numbers separated by commas"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "99999999999", "123456789012345678901234567890"})
    void framesBeyondIntAreRejected(String frame) {
        ProxyException e = badFrames(frames("1," + frame));
        assertTrue(e.getMessage().contains(frame), e.getMessage());
    }

    @Test
    void moreFramesThanAllowedAreRejected() {
        assertEquals(4, parser.parseFrames(frames("1,2,3,4")).getFrames().length);

        ProxyException e = badFrames(frames("1,2,3,4,5"));
        assertEquals("at most 4 frames per request, got 5", e.getMessage());
    }

    @Test
    void duplicatesCountTowardsTheLimit() {
        ProxyException e = badFrames(frames("1,1,1,1,1"));
        assertTrue(e.getMessage().contains("at most 4"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/dicomweb/studies/1.2.a/series/1.2.3.4/instances/1.2.3.4.5/frames/1",
        "/dicomweb/studies/1.2.3/series/abc/instances/1.2.3.4.5/frames/1",
        "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1..5/frames/1",
        "/dicomweb/studies/1.2.3./series/1.2.3.4/instances/1.2.3.4.5/frames/1",
        "/dicomweb/studies/.1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1",
        "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5 /frames/1",
        "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5%00/frames/1",
    })
    void invalidUidsAreRejected(String path) {
        ProxyException e = badFrames(request(path));
        assertTrue(e.getMessage().startsWith("invalid "), e.getMessage());
        assertTrue(e.getMessage().contains(" UID: "), e.getMessage());
    }

    @Test
    void uidLongerThan64CharactersIsRejected() {
        String uid64 = "1." + "2".repeat(62);
        String uid65 = uid64 + "3";
        assertEquals(64, uid64.length());

        FrameRequest ok = parser.parseFrames(request("/dicomweb/studies/" + uid64 + "/series/1/instances/2/frames/1"));
        assertEquals(uid64, ok.getStudy());

        ProxyException e = badFrames(request("/dicomweb/studies/1/series/1/instances/" + uid65 + "/frames/1"));
        assertTrue(e.getMessage().startsWith("invalid instance UID: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/dicomweb/studies/1.2.3/series/1.2.3.4/frames/1",
        "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1/",
        "/dicomweb/study/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1",
        "/frames/1",
    })
    void unexpectedPathShapesAreRejected(String path) {
        ProxyException e = badFrames(request(path));
        assertTrue(e.getMessage().startsWith("expected .../studies/"), e.getMessage());
    }

    @Test
    void missingPathIsRejected() {
        Exchange exchange = new DefaultExchange(context);
        badFrames(exchange);
    }

    // --- Accept ---

    @Test
    void noAcceptMeansStoredBytesWithRenderedJpegFallback() {
        FrameRequest request = parser.parseFrames(frames("1"));

        assertEquals(Representation.stored(), request.getRepresentation());
        assertEquals(Representation.rendered("image/jpeg", ""), request.getFallback());
    }

    @Test
    void noFallbackWhenRenderedFallbackIsOff() {
        FrameRequestParser noFallback = new FrameRequestParser(new AcceptNegotiator(), 4, List.of(), false);

        assertNull(noFallback.parseFrames(frames("1")).getFallback());
    }

    @Test
    void acceptHeaderChoosesTheRepresentation() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Accept", "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50");

        assertEquals(Representation.raw("image/jpeg", "1.2.840.10008.1.2.4.50"),
                parser.parseFrames(exchange).getRepresentation());
    }

    @Test
    void acceptQueryParameterTakesPrecedenceOverTheHeader() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Accept", "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY,
                "accept=multipart%2Frelated%3B%20type%3D%22application%2Foctet-stream%22%3B%20transfer-syntax%3D*");

        assertEquals(Representation.stored(), parser.parseFrames(exchange).getRepresentation());
    }

    @Test
    void acceptQueryParameterWithPlusForSpaces() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY,
                "accept=multipart/related;+type=%22image/jp2%22;+transfer-syntax=1.2.840.10008.1.2.4.90");

        assertEquals(Representation.raw("image/jp2", "1.2.840.10008.1.2.4.90"),
                parser.parseFrames(exchange).getRepresentation());
    }

    @Test
    void unacceptableAcceptQueryParameterIs406EvenWithAGoodHeader() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Accept", STORED);
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "accept=text%2Fhtml");

        ProxyException e = assertThrows(ProxyException.class, () -> parser.parseFrames(exchange));
        assertEquals(406, e.getStatus());
    }

    @Test
    void negotiatedAcceptsAreRememberedPerValueAndNoAcceptIsNoValue() {
        assertEquals(Representation.stored(), parser.parseFrames(frames("1")).getRepresentation(), "no Accept");
        Exchange odd = frames("1");
        odd.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "accept=%00none");
        assertEquals(400, badFrames(odd).getStatus(), "a value that looks like nothing is still a malformed value");

        for (int i = 0; i < 2; i++) {
            Exchange jpeg = frames("1");
            jpeg.getIn().setHeader("Accept", "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50");
            assertEquals(Representation.raw("image/jpeg", "1.2.840.10008.1.2.4.50"),
                    parser.parseFrames(jpeg).getRepresentation(), "the same answer the second time");
        }
    }

    @Test
    void malformedQueryEncodingIsRejected() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "accept=%zz");

        ProxyException e = badFrames(exchange);
        assertEquals("malformed query string", e.getMessage());
    }

    @Test
    void acceptAsAListHeaderIsJoined() {
        Exchange exchange = frames("1");
        // several Accept lines arrive as a list; the stored-bytes range is in the second one and q decides
        exchange.getIn().setHeader("Accept", List.of(
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50; q=0.5",
                "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90"));

        assertEquals(Representation.raw("image/jp2", "1.2.840.10008.1.2.4.90"),
                parser.parseFrames(exchange).getRepresentation());
    }

    @Test
    void unacceptableAcceptIs406() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Accept", "text/html");

        ProxyException e = assertThrows(ProxyException.class, () -> parser.parseFrames(exchange));
        assertEquals(406, e.getStatus());
    }

    // --- forwarded headers ---

    @Test
    void onlyConfiguredHeadersAreForwarded() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Authorization", "Bearer abc");
        exchange.getIn().setHeader("Cookie", "session=1");
        exchange.getIn().setHeader("X-Custom", "x");

        FrameRequest request = parser.parseFrames(exchange);

        assertEquals(Map.of("Authorization", "Bearer abc"), request.getForwardHeaders());
    }

    @Test
    void forwardedHeaderNameIsMatchedCaseInsensitively() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("authorization", "Basic dTpw");

        assertEquals(Map.of("Authorization", "Basic dTpw"), parser.parseFrames(exchange).getForwardHeaders());
    }

    @Test
    void absentForwardedHeaderIsNotSent() {
        assertTrue(parser.parseFrames(frames("1")).getForwardHeaders().isEmpty());
    }

    // --- public base URL ---

    @Test
    void publicBaseUrlFromHostKeepsThePrefix() {
        assertEquals("http://proxy.example:8080/dicomweb", parser.parseFrames(frames("1")).getPublicBaseUrl());
    }

    @Test
    void publicBaseUrlWithoutHostIsLocalhost() {
        Exchange exchange = frames("1");
        exchange.getIn().removeHeader("Host");

        assertEquals("http://localhost/dicomweb", parser.parseFrames(exchange).getPublicBaseUrl());
    }

    @Test
    void publicBaseUrlFromXForwardedHeaders() {
        Exchange exchange = from("10.1.2.3", frames("1"));
        exchange.getIn().setHeader("X-Forwarded-Proto", "https");
        exchange.getIn().setHeader("X-Forwarded-Host", "viewer.example.org");

        assertEquals("https://viewer.example.org/dicomweb", behindProxy.parseFrames(exchange).getPublicBaseUrl());
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
        Exchange exchange = from("10.1.2.4", frames("1"));
        exchange.getIn().setHeader("X-Forwarded-Proto", "https");
        exchange.getIn().setHeader("X-Forwarded-Host", "evil.example");
        exchange.getIn().setHeader("Forwarded", "proto=https;host=evil.example");

        assertEquals("http://proxy.example:8080/dicomweb", behindProxy.parseFrames(exchange).getPublicBaseUrl());
        assertEquals("http://proxy.example:8080/dicomweb", parser.parseFrames(from("10.1.2.3", exchange)).getPublicBaseUrl(),
                "no trusted proxies configured: trusted from no one");
    }

    @Test
    void forwardedValuesThatAreNoSchemeOrHostAreIgnoredEvenFromATrustedProxy() {
        Exchange exchange = from("fd12::1", frames("1"));
        exchange.getIn().setHeader("X-Forwarded-Proto", "javascript");
        exchange.getIn().setHeader("X-Forwarded-Host", "evil.example/phish?");

        assertEquals("http://proxy.example:8080/dicomweb", behindProxy.parseFrames(exchange).getPublicBaseUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example/phish?", "a b", "host:port", "x@y", "[zz]", "h:123456"})
    void aHostHeaderThatIsNoHostIsABadRequest(String host) {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Host", host);

        assertTrue(badFrames(exchange).getMessage().contains("Host"));
    }

    @Test
    void publicBaseUrlFromRfc7239Forwarded() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("X-Forwarded-Proto", "http");
        exchange.getIn().setHeader("X-Forwarded-Host", "ignored.example");
        // the inner proxy (10.0.0.1, trusted) appended its element last: the one before it is the client-facing hop
        exchange.getIn().setHeader("Forwarded",
                "for=192.0.2.60;proto=https;host=\"images.example.org:8443\", for=10.0.0.1;proto=http;host=inner");

        assertEquals("https://images.example.org:8443/dicomweb", behindProxy.parseFrames(from("10.1.2.3", exchange)).getPublicBaseUrl());
    }

    @Test
    void chainedXForwardedHeadersAreReadFromTheNearestProxy() {
        Exchange exchange = frames("1");
        // the client sent its own values; the trusted proxy appended the real ones
        exchange.getIn().setHeader("X-Forwarded-Proto", "http, https");
        exchange.getIn().setHeader("X-Forwarded-Host", "evil.example, viewer.example.org");

        assertEquals("https://viewer.example.org/dicomweb", behindProxy.parseFrames(from("10.1.2.3", exchange)).getPublicBaseUrl());
    }

    @Test
    void aForwardedElementTheClientWroteIsNeverRead() {
        Exchange exchange = frames("1");
        exchange.getIn().setHeader("Forwarded", "proto=https;host=evil.example, for=192.0.2.60;proto=http;host=viewer.example.org");

        assertEquals("http://viewer.example.org/dicomweb", behindProxy.parseFrames(from("10.1.2.3", exchange)).getPublicBaseUrl());
    }

    @Test
    void publicBaseUrlWithoutPrefix() {
        Exchange exchange = request("/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1");

        assertEquals("http://proxy.example:8080", parser.parseFrames(exchange).getPublicBaseUrl());
    }

    // --- rendered ---

    @Test
    void renderedSingleFrame() {
        FrameRequest request = parser.parseRendered(rendered("7"));

        assertArrayEquals(new int[] {7}, request.getFrames());
        assertEquals(INSTANCE, request.getInstance());
        assertEquals(Representation.rendered("image/jpeg", "quality=95&downsample=1&iccprofile=no"), request.getRepresentation());
        assertNull(request.getFallback());
        assertEquals("http://proxy.example:8080/dicomweb", request.getPublicBaseUrl());
    }

    @Test
    void renderedFrameListIsAccepted() {
        assertArrayEquals(new int[] {1, 2}, parser.parseRendered(rendered("1,2")).getFrames());
    }

    @Test
    void renderedFrameZeroIsRejected() {
        ProxyException e = assertThrows(ProxyException.class, () -> parser.parseRendered(rendered("0")));
        assertEquals(400, e.getStatus());
    }

    @Test
    void renderedQueryIsSortedWithoutAccept() {
        Exchange exchange = rendered("1");
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "viewport=256,256&accept=image%2Fpng&quality=90");

        Representation representation = parser.parseRendered(exchange).getRepresentation();

        // PNG ignores quality: not in its key; the viewport resamples (area by default)
        String canonical = "downsample=1&interpolation=area&viewport=256,256&iccprofile=no";
        assertEquals(Representation.rendered("image/png", canonical), representation);
        assertEquals("rendered:image/png?" + canonical, representation.cacheTag());
    }

    @Test
    void equalRenderedQueriesInAnyOrderShareACacheTag() {
        Exchange a = rendered("1");
        a.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "quality=90&viewport=256,256");
        Exchange b = rendered("1");
        b.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "viewport=256%2C256&quality=90");
        Exchange c = rendered("1");
        c.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "quality=80&viewport=256,256");

        String tagA = parser.parseRendered(a).getRepresentation().cacheTag();
        assertEquals(tagA, parser.parseRendered(b).getRepresentation().cacheTag());
        assertNotEquals(tagA, parser.parseRendered(c).getRepresentation().cacheTag());
    }

    @Test
    void parametersThatAreNoOperationDoNotSplitTheCache() {
        Exchange annotated = rendered("1");
        annotated.getIn().setHeader(Exchange.HTTP_RAW_QUERY, "annotation=a%26b%3Dc");
        Exchange plain = rendered("1");

        assertEquals(parser.parseRendered(plain).getRepresentation(), parser.parseRendered(annotated).getRepresentation());
    }

    @Test
    void renderedTransferSyntaxIsRejected() {
        Exchange exchange = rendered("1");
        exchange.getIn().setHeader("Accept", "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50");

        ProxyException e = assertThrows(ProxyException.class, () -> parser.parseRendered(exchange));
        assertEquals(400, e.getStatus());
    }

    @Test
    void renderedForwardsCredentials() {
        Exchange exchange = rendered("1");
        exchange.getIn().setHeader("Authorization", "Bearer r");

        assertEquals(Map.of("Authorization", "Bearer r"), parser.parseRendered(exchange).getForwardHeaders());
    }
}
