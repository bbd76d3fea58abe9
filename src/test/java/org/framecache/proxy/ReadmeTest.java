package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every configuration key has its row in the README's table, so the README stays true as keys are added; and every
 * link inside the repository leads somewhere.
 */
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

    /** [text](#anchor) names a heading (GitHub's anchors), [text](path) an existing file or directory. */
    @Test
    void everyLinkLeadsSomewhere() throws IOException {
        for (Path markdown : List.of(Path.of("README.md"), Path.of("bench/README.md"), Path.of("k8s/README.md"),
                Path.of("k8s/overlays/external-redis-tls/README.md"),
                Path.of("src/site/markdown/rendering.md"), Path.of("src/site/markdown/redis.md"))) {
            String text = Files.readString(markdown);
            Set<String> anchors = new HashSet<>();
            Matcher heading = Pattern.compile("(?m)^#{1,6} +(.+)$").matcher(text);
            while (heading.find()) {
                anchors.add(heading.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-'));
            }
            List<String> broken = new ArrayList<>();
            Matcher link = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("#")) {
                    if (!anchors.contains(target.substring(1))) {
                        broken.add(target);
                    }
                } else if (!target.contains("://") && !target.startsWith("mailto:")) {
                    String path = target.replaceAll("#.*", "");
                    if (!Files.exists(markdown.resolveSibling(path).normalize())
                            && !Files.exists(Path.of(path))) {
                        broken.add(target);
                    }
                }
            }
            assertTrue(broken.isEmpty(), markdown + " links to nothing: " + broken + " (headings: " + anchors + ")");
        }
    }
}
