package org.framecache.proxy.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.junit.jupiter.api.Test;

/** Caller fingerprints: an HMAC of the credentials, the same whatever the header order or case, never the credentials. */
class CallerFingerprintsTest {
    private static final String TOKEN = "Bearer secret-token-of-alice";

    @Test
    void aCallerWithoutCredentialsIsAnonymous() {
        assertEquals("anonymous", new CallerFingerprints("k").of(Map.of()));
    }

    @Test
    void theFingerprintIsAKeyedHashNeverTheCredentials() {
        String print = new CallerFingerprints("k").of(Map.of("Authorization", TOKEN));
        assertTrue(print.matches("[0-9a-f]{32}"), print);
        assertFalse(print.contains("secret"));
        assertEquals(print, new CallerFingerprints("k").of(Map.of("Authorization", TOKEN)), "same key, same print");
        assertNotEquals(print, new CallerFingerprints("other").of(Map.of("Authorization", TOKEN)), "another key");
        assertNotEquals(print, new CallerFingerprints("").of(Map.of("Authorization", TOKEN)), "a random key");
        assertNotEquals(print, new CallerFingerprints("k").of(Map.of("Authorization", TOKEN + "x")), "other credentials");
    }

    @Test
    void headerOrderAndNameCaseDoNotMatter() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("Authorization", TOKEN);
        one.put("Cookie", "a=b");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("Cookie", "a=b");
        other.put("authorization", TOKEN);
        CallerFingerprints prints = new CallerFingerprints("k");
        assertEquals(prints.of(Map.of("Authorization", TOKEN)), prints.of(Map.of("authorization", TOKEN)));
        assertNotEquals(prints.of(one), prints.of(Map.of("Authorization", TOKEN)));
    }

    @Test
    void aRequestIsFingerprintedOnce() {
        FrameRequest request = new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {1}, Representation.stored(), null,
                Map.of("Authorization", TOKEN), "");
        CallerFingerprints prints = new CallerFingerprints("k");
        String print = prints.of(request);
        assertEquals(print, request.getCallerFingerprint());
        request.setCallerFingerprint("kept");
        assertEquals("kept", prints.of(request), "the request's own fingerprint is reused");
    }
}
