package org.framecache.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.ProxyMain;
import org.framecache.proxy.testing.Await;
import org.framecache.proxy.testing.FreePorts;
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

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void noSecretFromTheEnvironmentReachesTheLog() throws Exception {
        Path log = Files.createTempFile("secrets-not-logged", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProxyMain.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(SECRETS);
        builder.environment().put("PROXY_UPSTREAM_URL", "http://127.0.0.1:9/dicom-web");
        builder.environment().put("PROXY_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        builder.environment().put("CAMEL_SERVER_HOST", "127.0.0.1");
        builder.environment().put("CAMEL_SERVER_PORT", Integer.toString(FreePorts.loopback()));
        builder.environment().put("CAMEL_MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("CAMEL_MANAGEMENT_PORT", Integer.toString(FreePorts.loopback()));
        Process proxy = builder.start();
        try {
            Await.until(Duration.ofSeconds(60), () -> !proxy.isAlive() || read(log).contains("In-process hits are answered"),
                    "the proxy's start");
            String output = Files.readString(log);
            assertTrue(output.contains("In-process hits are answered"), "the proxy started:\n" + output);
            for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
                assertFalse(output.contains(secret.getValue()), secret.getKey() + " is in the log:\n" + output);
            }
        } finally {
            proxy.destroy();
            if (!proxy.waitFor(20, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }
}
