package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Every configuration key has its row in the README's table, so the README stays true as keys are added. */
class ReadmeTest {

    @Test
    void everyPropertyIsDocumented() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("camel.main.") && !key.equals("camel.server.enabled")
                    && !key.equals("camel.management.enabled") && !key.equals("camel.management.health-check-enabled")
                    && !readme.contains(key.substring(key.lastIndexOf('.') + 1))) {
                missing.add(key);
            } else if (key.startsWith("proxy.") || key.startsWith("cache.") || key.startsWith("auth.")
                    || key.startsWith("cors.") || key.startsWith("fallback.")) {
                if (!readme.contains("`" + key + "`")) {
                    missing.add(key);
                }
            }
        }
        assertTrue(missing.isEmpty(), "keys missing from README.md: " + missing);
    }
}
