package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as an edit of the routes (the start-up check itself runs in RoutesWithoutRecompileTest). */
class KnownRoutesTest {
    private static final String ROUTE = """
            # a comment
            - route:
                id: wado-frames
                from:
                  uri: "platform-http:/x"
                  steps:
                    - bean:
                        ref: responseWriter
            """;

    @Test
    void theRoutesInTheRepositoryAreTheOnesInProcessHitsWasCheckedAgainst() throws Exception {
        String fingerprint = KnownRoutes.fingerprint(KnownRoutes.files(Path.of("routes")));
        assertEquals(KnownRoutes.FINGERPRINT, fingerprint, "routes/ changed: InProcessHits answers some requests"
                + " as wado-frames and wado-rendered-frame would; check it against the new routes, then set"
                + " KnownRoutes.FINGERPRINT to " + fingerprint);
    }

    @Test
    void commentsBlankLinesTrailingSpacesAndAByteOrderMarkAreNoEdit() {
        String reworded = """
                \uFEFF# another comment

                - route:   \s
                    id: wado-frames
                    from:
                      # why
                      uri: "platform-http:/x"
                      steps:
                        - bean:
                            ref: responseWriter
                """;
        assertEquals(KnownRoutes.normalized(ROUTE), KnownRoutes.normalized(reworded));
        assertEquals(KnownRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE)),
                KnownRoutes.fingerprint(Map.of("frames.camel.yaml", reworded)));
    }

    @Test
    void aStepAValueOrAFileIsAnEdit() {
        String base = KnownRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE));
        assertNotEquals(base, KnownRoutes.fingerprint(Map.of("frames.camel.yaml",
                ROUTE + "        - setHeader:\n            name: X\n            constant: y\n")));
        assertNotEquals(base, KnownRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE.replace("/x", "/y"))));
        assertNotEquals(base, KnownRoutes.fingerprint(Map.of("frames.camel.yaml",
                ROUTE.replace("uri: \"platform-http:/x\"", "uri: \"platform-http:/x\" # was /y"))),
                "an end-of-line comment counts: the comparison is on lines, not on YAML");
        assertNotEquals(base, KnownRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE, "extra.camel.yaml",
                "- routeConfiguration:\n    interceptFrom: {}\n")), "an added file (an interceptor, say) counts");
        assertNotEquals(base, KnownRoutes.fingerprint(Map.of("other.camel.yaml", ROUTE)), "so does a renamed one");
    }

    @Test
    void hiddenAndNonRegularEntriesAreNotRouteFiles(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("frames.camel.yaml"), ROUTE);
        Files.writeString(directory.resolve(".#frames.camel.yaml"), "an editor's lock file");
        Files.createDirectory(directory.resolve("old.camel.yaml"));

        assertEquals(Map.of("frames.camel.yaml", ROUTE), KnownRoutes.files(directory));
    }
}
