package org.framecache.proxy;

import static org.framecache.proxy.testing.OrthancResource.ALICE;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * auth.per-caller=false in front of a store that authenticates (real Orthanc with basic auth): the proxy finds out
 * at start (a search without credentials is refused) and decides per caller, so an accepted caller's frames never
 * reach an anonymous one, and an anonymous refusal never locks the accepted caller out.
 */
class SharedAccessDecisionsTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.withAliceAndBob();

    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(ORTHANC);
        p.setProperty("auth.per-caller", "false");
        return p;
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 2, 256, false);
        ORTHANC.upload(slide.part10());
    }

    @Test
    void aStoreThatAuthenticatesGetsDecisionsPerCaller() throws Exception {
        InstanceAccess access = context.getRegistry().lookupByNameAndType("instanceAccess", InstanceAccess.class);
        NotifyBuilder probed = new NotifyBuilder(context).fromRoute("check-shared-access-decisions").whenDone(1).create();
        // the probe runs once at start; it may have finished before this test began
        assertTrue(!access.shared() || probed.matches(20, TimeUnit.SECONDS), "the start-up search was made");
        assertFalse(access.shared(), "the store refused a search without credentials: decisions are per caller");

        String url = framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "1");
        HttpResponse<byte[]> alice = get(url, "Accept", STORED, "Authorization", ALICE);
        assertEquals(200, alice.statusCode(), new String(alice.body()));
        long metadataCalls = upstreamCalls().getMetadataCalls();
        HttpResponse<byte[]> anonymous = get(url, "Accept", STORED);
        assertEquals(401, anonymous.statusCode(), "alice's acceptance is not shared with an anonymous caller");
        assertEquals(metadataCalls + 1, upstreamCalls().getMetadataCalls(), "the store was asked for the anonymous caller");
        assertEquals(200, get(url, "Accept", STORED, "Authorization", ALICE).statusCode(), "the refusal does not lock alice out");
    }

    @Test
    void onlyAnAcceptanceWithoutCredentialsIsSharedAndTheFirstRefusalEndsSharing() {
        InstanceAccess access = new InstanceAccess(false, java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(1), "k", 100);
        String metadata = "[{\"00280008\":{\"vr\":\"IS\",\"Value\":[4]}}]";
        FrameRequest alice = request(Map.of("Authorization", ALICE));
        FrameRequest bob = request(Map.of("Authorization", "Basic Ym9iOng="));

        org.apache.camel.Exchange aliceAsked = exchange(alice, 200, metadata);
        assertTrue(access.mustAskStore(aliceAsked));
        access.record(aliceAsked);
        assertTrue(access.mustAskStore(exchange(request(Map.of()), 0, "")), "alice's acceptance is hers alone");
        assertFalse(access.acceptedFromMemory(request(Map.of())));

        org.apache.camel.Exchange anonymousAsked = exchange(request(Map.of()), 200, metadata);
        access.record(anonymousAsked);
        assertFalse(access.mustAskStore(exchange(bob, 0, "")), "the store let in a caller without credentials: everyone");
        assertTrue(access.acceptedFromMemory(bob));

        org.apache.camel.Exchange refused = exchange(request(Map.of("Authorization", "Basic bWFsbG9yeTp4")), 401, "");
        assertEquals(401, org.junit.jupiter.api.Assertions.assertThrows(ProxyException.class, () -> access.record(refused))
                .getStatus());
        assertFalse(access.shared(), "a 401 from the store: nothing is shared any more");
        assertTrue(access.mustAskStore(exchange(bob, 0, "")), "remembered decisions were dropped");
    }

    private static FrameRequest request(Map<String, String> credentials) {
        return new FrameRequest("1.2.3", "1.2.3.4", "1.2.3.4.5", new int[] {1}, Representation.stored(), null, credentials, "");
    }

    private org.apache.camel.Exchange exchange(FrameRequest request, int status, String body) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
        exchange.setProperty(FrameRequest.PROPERTY, request);
        exchange.getMessage().setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
