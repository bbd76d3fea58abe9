package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** What counts as an edit of the routes (the start-up comparison itself runs in RoutesWithoutRecompileTest). */
class PackagedRoutesTest {
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
    void commentsBlankLinesAndTrailingSpacesAreNoEdit() {
        String reworded = """
                # another comment

                - route:   \s
                    id: wado-frames
                    from:
                      # why
                      uri: "platform-http:/x"
                      steps:
                        - bean:
                            ref: responseWriter
                """;
        assertEquals(PackagedRoutes.normalized(ROUTE), PackagedRoutes.normalized(reworded));
    }

    @Test
    void aStepOrAValueIsAnEdit() {
        assertNotEquals(PackagedRoutes.normalized(ROUTE),
                PackagedRoutes.normalized(ROUTE + "        - setHeader:\n            name: X\n            constant: y\n"));
        assertNotEquals(PackagedRoutes.normalized(ROUTE), PackagedRoutes.normalized(ROUTE.replace("/x", "/y")));
        assertNotEquals(PackagedRoutes.normalized(ROUTE),
                PackagedRoutes.normalized(ROUTE.replace("uri: \"platform-http:/x\"", "uri: \"platform-http:/x\" # was /y")),
                "an end-of-line comment is kept: the comparison is on lines, not on YAML");
    }
}
