package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.framecache.proxy.testing.FreePorts;
import org.framecache.proxy.testing.RedisProcess;
import org.framecache.proxy.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real redis-server that speaks only TLS to authenticated clients: certificates made at test time, a client
 * certificate required, and an ACL user limited to the commands and keys the cache needs (the default user off).
 */
class RedisTlsTest {
    private static final String USER = "framecache";
    private static final String PASSWORD = "s3cret-acl-password";
    private static TestCertificates certificates;
    private static RedisProcess redis;
    private static int tlsPort;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.create();
        tlsPort = FreePorts.loopback();
        redis = RedisProcess.start(List.of(
                "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certificates.cert("server").toString(),
                "--tls-key-file", certificates.key("server").toString(),
                "--tls-ca-cert-file", certificates.cert("ca").toString(),
                "--tls-auth-clients", "yes",
                "--user", "default", "off",
                // what src/site/markdown/redis.md (Which Redis) says the cache needs, and nothing more
                "--user", USER, "on", ">" + PASSWORD, "~tls:*", "resetchannels", "-@all",
                "+get", "+mget", "+eval", "+ping", "+set", "+del", "+client|setname"));
    }

    @AfterAll
    static void stop() {
        redis.close();
        certificates.delete();
    }

    private static RedisSettings settings(String url, String user, String password, String ca, boolean clientCert,
                                          boolean verifyHostname) {
        return new RedisSettings(url, "", "", "", user, password, "", false, ca,
                clientCert ? certificates.cert("client").toString() : "",
                clientCert ? certificates.key("client").toString() : "", verifyHostname, 1000, 4);
    }

    private static RedisByteCache cache(RedisSettings settings) {
        return new RedisByteCache(settings, Duration.ofMinutes(1), Duration.ofMillis(1));
    }

    private static final String URL = "rediss://127.0.0.1:";

    @Test
    void valuesAndMarkersGoOverMutualTlsAsTheAclUser() {
        try (RedisByteCache cache = cache(settings(URL + tlsPort, USER, PASSWORD, certificates.cert("ca").toString(),
                true, true))) {
            assertEquals("up", cache.status());
            cache.putAll(Map.of("tls:a", new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, cache.getAll(List.of("tls:a", "tls:none")).get(0));
            assertEquals(List.of(true), cache.mark(List.of("tls:marker"), Duration.ofSeconds(10)));
            assertEquals(List.of(false), cache.mark(List.of("tls:marker"), Duration.ofSeconds(10)));
            cache.unmark(List.of("tls:marker"));
            assertEquals(List.of(true), cache.mark(List.of("tls:marker"), Duration.ofSeconds(10)));
            cache.unmark(List.of("tls:marker"));
            assertTrue(cache.describe().startsWith("Redis at rediss://127.0.0.1:"), cache.describe());
            assertFalse(cache.describe().contains(PASSWORD));
        }
    }

    @Test
    void theTlsFlagTurnsTlsOnForARedisUrlAndEncryptionStacksOnTop() {
        RedisSettings flag = new RedisSettings("redis://127.0.0.1:" + tlsPort, "", "", "", USER, PASSWORD, "", true,
                certificates.cert("ca").toString(), certificates.cert("client").toString(),
                certificates.key("client").toString(), true, 1000, 4);
        try (EncryptedByteCache cache = new EncryptedByteCache(cache(flag),
                new ValueCipher(ValueCipherTest.KEY_A, null))) {
            cache.putAll(Map.of("tls:sealed", new byte[] {9, 8, 7}));
            assertArrayEquals(new byte[] {9, 8, 7}, cache.getAll(List.of("tls:sealed")).get(0));
        }
    }

    /** Each wrong setting is a Redis that cannot be used: misses, never an exception to the request. */
    @Test
    void wrongTrustCertificateUserOrHostAreMissesNotErrors() throws Exception {
        String ca = certificates.cert("ca").toString();
        Map<String, RedisSettings> wrong = Map.of(
                "a CA that did not sign the server", settings(URL + tlsPort, USER, PASSWORD,
                        certificates.otherCa().toString(), true, true),
                "no client certificate", settings(URL + tlsPort, USER, PASSWORD, ca, false, true),
                "a wrong password", settings(URL + tlsPort, USER, "wrong", ca, true, true),
                "the default user (off)", settings(URL + tlsPort, "", "", ca, true, true),
                "a host name the certificate does not name", settings("rediss://localhost:" + tlsPort, USER, PASSWORD,
                        ca, true, true),
                "plain text to the TLS port", settings("redis://127.0.0.1:" + tlsPort, USER, PASSWORD, ca, true, true));
        wrong.forEach((why, settings) -> {
            try (RedisByteCache cache = cache(settings)) {
                cache.putAll(Map.of("tls:w", new byte[] {1}));
                assertNull(cache.getAll(List.of("tls:a")).get(0), why);
                assertTrue(cache.status().startsWith("unavailable"), why + ": " + cache.status());
            }
        });
        try (RedisByteCache noHostCheck = cache(settings("rediss://localhost:" + tlsPort, USER, PASSWORD, ca, true,
                false))) {
            assertEquals("up", noHostCheck.status(), "the CA alone is checked with verify-hostname off");
        }
    }

    @Test
    void theAclUserReachesOnlyTheCachesKeys() {
        try (RedisByteCache cache = cache(settings(URL + tlsPort, USER, PASSWORD, certificates.cert("ca").toString(),
                true, true))) {
            cache.putAll(Map.of("other:a", new byte[] {1}));
            assertNull(cache.getAll(List.of("other:a")).get(0), "NOPERM is a miss");
        }
    }

    @Test
    void aKeyFileThatIsNotPkcs8IsAClearStartupError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemTlsContext.socketFactory(certificates.cert("ca").toString(),
                        certificates.cert("client").toString(), certificates.cert("client").toString()));
        assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
    }
}
