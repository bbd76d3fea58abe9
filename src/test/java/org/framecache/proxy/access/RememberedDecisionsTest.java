package org.framecache.proxy.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.upstream.UpstreamStatusException;
import org.junit.jupiter.api.Test;

/** Remembered decisions: per caller, an acceptance without credentials shared only while allowed, refusals never. */
class RememberedDecisionsTest {
    private static final FrameRequest ANONYMOUS = request(Map.of());
    private static final FrameRequest ALICE = request(Map.of("Authorization", "Basic YWxpY2U6eA=="));

    @Test
    void perCallerNothingIsShared() {
        RememberedDecisions decisions = new RememberedDecisions(true, Duration.ofMinutes(1));
        decisions.accept(ANONYMOUS, "anonymous|i");
        assertTrue(decisions.get(ANONYMOUS, "anonymous|i").accepted());
        assertNull(decisions.get(ALICE, "alice|i"));
        assertFalse(decisions.shared());
    }

    @Test
    void anAcceptanceWithoutCredentialsCoversEveryoneUntilTheStoreRefusesSomeone() {
        RememberedDecisions decisions = new RememberedDecisions(false, Duration.ofMinutes(1));
        decisions.accept(ALICE, "alice|i");
        assertNull(decisions.get(ANONYMOUS, "anonymous|i"), "an acceptance of credentials is not shared");
        decisions.accept(ANONYMOUS, "anonymous|i");
        assertTrue(decisions.get(ALICE, "bob|i").accepted());
        decisions.decidePerCaller("test");
        assertFalse(decisions.shared());
        assertNull(decisions.get(ALICE, "bob|i"), "sharing ended and what was remembered is dropped");
        assertNull(decisions.get(ALICE, "alice|i"));
    }

    @Test
    void aRefusalIsTheCallersOwnAndCarriesTheStoresStatusAndChallenge() {
        RememberedDecisions decisions = new RememberedDecisions(false, Duration.ofMinutes(1));
        decisions.refuse("alice|i", 401, "Basic realm=\"s\"");
        RememberedDecisions.Decision refusal = decisions.get(ALICE, "alice|i");
        assertFalse(refusal.accepted());
        UpstreamStatusException e = refusal.refusal();
        assertEquals(401, e.getStatus());
        assertEquals("the store requires valid credentials for this instance (401)", e.getMessage());
        assertEquals("no such instance in the store (410)", new RememberedDecisions.Decision(410, null).refusal().getMessage());
        assertNull(decisions.get(ANONYMOUS, "anonymous|i"));
    }

    private static FrameRequest request(Map<String, String> credentials) {
        return new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {1}, Representation.stored(), null, credentials, "");
    }
}
