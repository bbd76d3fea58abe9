package org.framecache.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void pairsAreDecodedInOrderAndEmptyPairsSkipped() {
        assertEquals(List.of(Map.entry("a", "1 2"), Map.entry("b", ""), Map.entry("a", "x,y"), Map.entry("", "v")),
                QueryString.pairs("a=1+2&&b&a=x%2Cy&=v"));
        assertEquals(List.of(), QueryString.pairs(null));
        assertEquals(List.of(), QueryString.pairs(""));
    }

    @Test
    void parametersJoinRepeatedNamesWithCommasAndDropNamelessPairs() {
        Map<String, String> parameters = QueryString.parameters("includefield=a&limit=2&includefield=b&=x&flag");
        assertEquals(Map.of("includefield", "a,b", "limit", "2", "flag", ""), parameters);
        assertEquals(List.of("includefield", "limit", "flag"), List.copyOf(parameters.keySet()));
        parameters.remove("limit"); // callers take parameters out
        assertEquals(Map.of(), QueryString.parameters(null));
    }

    @Test
    void firstIsTheFirstValueOfANameOrNull() {
        assertEquals("image/png", QueryString.first("quality=5&accept=image%2Fpng&accept=image/jpeg", "accept"));
        assertEquals("", QueryString.first("accept&quality=5", "accept"));
        assertNull(QueryString.first("quality=5", "accept"));
        assertNull(QueryString.first(null, "accept"));
        // what follows the first match is not read
        assertEquals("5", QueryString.first("quality=5&x=%zz", "quality"));
    }

    @Test
    void aMalformedEscapeIsABadRequest() {
        for (Runnable call : List.<Runnable>of(() -> QueryString.pairs("a=%zz"), () -> QueryString.parameters("%4"),
                () -> QueryString.first("%zz=1&a=1", "a"), () -> QueryString.decode("100%"))) {
            ProxyException e = assertThrows(ProxyException.class, call::run);
            assertEquals(400, e.getStatus());
            assertEquals("malformed query string", e.getMessage());
        }
    }
}
