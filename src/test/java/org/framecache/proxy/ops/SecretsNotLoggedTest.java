package org.framecache.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.framecache.proxy.testing.ProxyJvm;
import org.junit.jupiter.api.Test;

/**
 * The proxy started as in Kubernetes, its secrets in the environment (from a Secret): no line it logs holds one.
 * Camel Main's start-up summaries list every property with its value and mask only names they know; they are off.
 */
class SecretsNotLoggedTest {
    private static final Map<String, String> SECRETS = Map.of(
            "CACHE_REDIS_PASSWORD", "redis-pw-7c1e",
            "CACHE_ENCRYPTION_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "CACHE_ENCRYPTION_OLD_KEY", "HxwdHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=",
            "AUTH_HMAC_KEY", "hmac-key-5b2d",
            "CACHE_REDIS_SENTINEL_PASSWORD", "sentinel-pw-9f04");

    @Test
    void noSecretFromTheEnvironmentReachesTheLog() throws Exception {
        try (ProxyJvm proxy = ProxyJvm.mainClass(List.of()).environment(SECRETS)
                .with("proxy.upstream-url", "http://127.0.0.1:9/dicom-web").start()) {
            proxy.awaitLine(line -> line.contains("In-process hits are answered"), Duration.ofSeconds(60));
            String output = proxy.console();
            assertTrue(output.contains("In-process hits are answered"), "the proxy started:\n" + output);
            for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
                assertFalse(output.contains(secret.getValue()), secret.getKey() + " is in the log:\n" + output);
            }
        }
    }
}
