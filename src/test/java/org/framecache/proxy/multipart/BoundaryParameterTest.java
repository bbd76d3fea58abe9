package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The limits of the boundary parameter; the other Content-Type failures are in MultipartRelatedReaderTest. */
class BoundaryParameterTest {

    private static String rejected(String contentType) {
        return assertThrows(MalformedMultipartException.class, () -> BoundaryParameter.of(contentType)).getMessage();
    }

    @Test
    void aBoundaryOfUpTo256PrintableCharactersIsAccepted() {
        String longest = "b".repeat(BoundaryParameter.MAX_BOUNDARY_LENGTH);
        assertArrayEquals(longest.getBytes(US_ASCII), BoundaryParameter.of("multipart/related; boundary=" + longest));
        assertArrayEquals("a b~".getBytes(US_ASCII), BoundaryParameter.of("multipart/related; boundary=\"a b~\""));
        assertEquals("invalid multipart boundary length: 257",
                rejected("multipart/related; boundary=" + "b".repeat(257)));
    }

    @Test
    void aBoundaryWithAControlOrNonAsciiCharacterIsRefused() {
        assertEquals("invalid character in multipart boundary", rejected("multipart/related; boundary=\"a\tb\""));
        assertEquals("invalid character in multipart boundary", rejected("multipart/related; boundary=\"a\u00e9b\""));
    }
}
