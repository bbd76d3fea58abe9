package org.framecache.proxy.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.framecache.proxy.inbound.FrameRequest;

/**
 * Who is asking, as an HMAC-SHA256 fingerprint of the credentials forwarded to the store: decisions are remembered
 * under it, never under the credentials themselves.
 */
final class CallerFingerprints {
    private final SecretKeySpec key;
    /** One HMAC per thread (request threads and event loops), keyed once. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /** @param hmacKey secret for credential fingerprints; empty = a random key for this process */
    CallerFingerprints(String hmacKey) {
        byte[] secret = hmacKey == null || hmacKey.isEmpty() ? randomKey() : hmacKey.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** HMAC of the forwarded credentials; never the credentials themselves. */
    String of(Map<String, String> forwardHeaders) {
        if (forwardHeaders.isEmpty()) {
            return "anonymous";
        }
        Mac mac = macs.get();
        mac.reset();
        new TreeMap<>(forwardHeaders).forEach((name, value) -> {
            mac.update(name.toLowerCase().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(value.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
        });
        return HexFormat.of().formatHex(mac.doFinal(), 0, 16);
    }

    /** The request's caller fingerprint, computed once per request (an HMAC of a long token is not free). */
    String of(FrameRequest request) {
        String fingerprint = request.getCallerFingerprint();
        if (fingerprint == null) {
            fingerprint = of(request.getForwardHeaders());
            request.setCallerFingerprint(fingerprint);
        }
        return fingerprint;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] randomKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
