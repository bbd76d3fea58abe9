package org.framecache.proxy.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.junit.jupiter.api.Test;

/** The access bean as the route uses it: ask once, remember acceptances and refusals, bound the frame numbers. */
class InstanceAccessTest {
    private static final String METADATA = """
            [{"00280008":{"vr":"IS","Value":[4]},"00280010":{"vr":"US","Value":[8]},"00280011":{"vr":"US","Value":[8]},
              "00280002":{"vr":"US","Value":[1]},"00280100":{"vr":"US","Value":[8]}}]""";
    private static final Map<String, String> ALICE = Map.of("Authorization", "Basic YWxpY2U6eA==");
    private final CamelContext context = new DefaultCamelContext();
    private final InstanceAccess access = new InstanceAccess(true, Duration.ofMinutes(1), Duration.ofMinutes(1), "k", 100);

    @Test
    void anAcceptanceIsRememberedWithTheInstancesShape() {
        Exchange asked = exchange(request(ALICE, 2), 200, METADATA);
        assertTrue(access.mustAskStore(asked));
        access.record(asked);
        assertEquals(1, access.getAllowedByStore());
        assertEquals(4, access.numberOfFrames(request(ALICE, 1)));
        assertEquals(4L * 8 * 8, access.pixelBytes(request(ALICE, 1)));
        assertNotNull(access.image(request(ALICE, 1)).format());

        assertFalse(access.mustAskStore(exchange(request(ALICE, 4), 0, "")), "remembered");
        assertTrue(access.acceptedFromMemory(request(ALICE, 3)));
        assertFalse(access.acceptedFromMemory(request(ALICE, 5)), "out of range: the route decides");
        assertFalse(access.acceptedFromMemory(request(Map.of(), 1)), "another caller");
        ProxyException outOfRange = assertThrows(ProxyException.class,
                () -> access.mustAskStore(exchange(request(ALICE, 5), 0, "")));
        assertEquals(400, outOfRange.getStatus());
        assertEquals("frame 5 is out of range: the instance has 4 frames", outOfRange.getMessage());
        assertEquals(2, access.getRemembered());
    }

    @Test
    void aRefusalIsRememberedWithTheStoresStatus() {
        Exchange asked = exchange(request(ALICE, 1), 403, "");
        assertTrue(access.mustAskStore(asked));
        assertEquals(403, assertThrows(ProxyException.class, () -> access.record(asked)).getStatus());
        assertEquals(1, access.getRefusedByStore());
        ProxyException again = assertThrows(ProxyException.class,
                () -> access.mustAskStore(exchange(request(ALICE, 1), 0, "")));
        assertEquals("the store refuses this caller access to the instance (403)", again.getMessage());
        assertEquals(1, access.getRemembered());
        assertNull(access.numberOfFrames(request(ALICE, 1)));
    }

    @Test
    void anyOtherAnswerIsA502AndLeavesNothingRemembered() {
        Exchange asked = exchange(request(ALICE, 1), 500, "");
        assertTrue(access.mustAskStore(asked));
        ProxyException e = assertThrows(ProxyException.class, () -> access.record(asked));
        assertEquals(502, e.getStatus());
        assertEquals("cannot verify access to the instance: the store answered 500 for its metadata", e.getMessage());
        assertTrue(access.mustAskStore(exchange(request(ALICE, 1), 0, "")), "the check is over: ask again");
    }

    private static FrameRequest request(Map<String, String> credentials, int frame) {
        return new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {frame}, Representation.stored(), null,
                credentials, "");
    }

    private Exchange exchange(FrameRequest request, int status, String body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(FrameRequest.PROPERTY, request);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return exchange;
    }
}
