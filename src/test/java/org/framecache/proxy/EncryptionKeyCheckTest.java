package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.apache.camel.main.Main;
import org.framecache.proxy.testing.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * cache.encryption-key is checked at start even without Redis (where it seals nothing): a wrong key fails the start
 * with the reason, not the day Redis is added.
 */
class EncryptionKeyCheckTest {

    @Test
    void aWrongKeyFailsTheStartWithoutRedisToo() {
        Main main = ProxyMain.application(Path.of("routes"));
        main.addOverrideProperty("proxy.upstream-url", "http://127.0.0.1:9/dicom-web");
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(FreePorts.loopback()));
        main.addOverrideProperty("camel.management.host", "127.0.0.1");
        main.addOverrideProperty("camel.management.port", Integer.toString(FreePorts.loopback()));
        main.addOverrideProperty("cache.redis-url", "");
        main.addOverrideProperty("cache.encryption-key", "not-a-key");
        Exception refused = assertThrows(Exception.class, main::start);
        Throwable cause = refused;
        while (!String.valueOf(cause.getMessage()).contains("cache.encryption-key") && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(String.valueOf(cause.getMessage()).contains("cache.encryption-key"), String.valueOf(refused));
        try {
            main.stop();
        } catch (Exception ignored) {
            // it did not start
        }
    }
}
