package org.framecache.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as an edit of the stand-in routes (the start-up check itself runs in RoutesWithoutRecompileTest). */
class StandInRoutesTest {
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
        Map<String, String> files = StandInRoutes.files(Path.of("routes"), "*.camel.yaml");
        String fingerprint = StandInRoutes.fingerprint(StandInRoutes.standIn(files));
        assertEquals(StandInRoutes.FINGERPRINT, fingerprint, "routes/ " + StandInRoutes.FILES + " changed:"
                + " InProcessHits answers some requests as wado-frames and wado-rendered-frame would; check it against"
                + " the new routes, then set StandInRoutes.FINGERPRINT to " + fingerprint);
        assertNull(StandInRoutes.differences(files));
    }

    @Test
    void anEditOfAnotherRouteFileLeavesHitsOnButAnInterceptorThereTurnsThemOff() throws Exception {
        Map<String, String> files = new HashMap<>(StandInRoutes.files(Path.of("routes"), "*.camel.yaml"));
        files.put("passthrough.camel.yaml", files.get("passthrough.camel.yaml") + "\n- route:\n    id: extra\n");
        assertNull(StandInRoutes.differences(files), "the pass-through route is not stood in for");
        files.put("extra.camel.yaml", "- intercept:\n    steps:\n      - log: hi\n");
        assertNotNull(StandInRoutes.differences(files), "an interceptor sees the stand-in routes too");
        files.remove("extra.camel.yaml");
        files.put("frames.camel.yaml", files.get("frames.camel.yaml") + "\n- route:\n    id: extra\n");
        assertNotNull(StandInRoutes.differences(files));
        files.remove("frames.camel.yaml");
        assertNotNull(StandInRoutes.differences(files), "a stand-in file missing");
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
        assertEquals(StandInRoutes.normalized(ROUTE), StandInRoutes.normalized(reworded));
        assertEquals(StandInRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE)),
                StandInRoutes.fingerprint(Map.of("frames.camel.yaml", reworded)));
    }

    @Test
    void aStepAValueOrAFileIsAnEdit() {
        String base = StandInRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE));
        assertNotEquals(base, StandInRoutes.fingerprint(Map.of("frames.camel.yaml",
                ROUTE + "        - setHeader:\n            name: X\n            constant: y\n")));
        assertNotEquals(base, StandInRoutes.fingerprint(Map.of("frames.camel.yaml", ROUTE.replace("/x", "/y"))));
        assertNotEquals(base, StandInRoutes.fingerprint(Map.of("frames.camel.yaml",
                ROUTE.replace("uri: \"platform-http:/x\"", "uri: \"platform-http:/x\" # was /y"))),
                "an end-of-line comment counts: the comparison is on lines, not on YAML");
        assertNotEquals(base, StandInRoutes.fingerprint(Map.of("rendered.camel.yaml", ROUTE)), "so does a renamed one");
    }

    @Test
    void hiddenAndNonRegularEntriesAreNotRouteFiles(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("frames.camel.yaml"), ROUTE);
        Files.writeString(directory.resolve(".#frames.camel.yaml"), "an editor's lock file");
        Files.createDirectory(directory.resolve("old.camel.yaml"));

        assertEquals(Map.of("frames.camel.yaml", ROUTE), StandInRoutes.files(directory, "*.camel.yaml"));
    }
}
