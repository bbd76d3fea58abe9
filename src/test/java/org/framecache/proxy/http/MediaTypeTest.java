package org.framecache.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeTest {

    @Test
    void parsesSimpleType() {
        MediaType mt = MediaType.parse("application/dicom");
        assertEquals("application", mt.type());
        assertEquals("dicom", mt.subtype());
        assertEquals("application/dicom", mt.essence());
        assertTrue(mt.parameters().isEmpty());
        assertEquals("application/dicom", mt.toString());
    }

    @Test
    void typeSubtypeAndParameterNamesAreCaseInsensitive() {
        MediaType mt = MediaType.parse("Multipart/RELATED; BOUNDARY=AbC; Type=Application/DICOM");
        assertEquals("multipart", mt.type());
        assertEquals("related", mt.subtype());
        assertEquals("AbC", mt.parameter("boundary"), "values keep their case");
        assertEquals("AbC", mt.parameter("BoUnDaRy"));
        assertEquals("Application/DICOM", mt.parameter("TYPE"));
        assertEquals(List.of("boundary", "type"), List.copyOf(mt.parameters().keySet()));
        assertEquals(MediaType.parse("multipart/related; boundary=AbC; type=Application/DICOM"), mt);
        assertNotEquals(MediaType.parse("multipart/related; boundary=abc; type=Application/DICOM"), mt,
                "values are compared exactly");
    }

    @Test
    void quotedAndUnquotedValuesAreEquivalent() {
        MediaType quoted = MediaType.parse("multipart/related; type=\"application/octet-stream\"");
        MediaType unquoted = MediaType.parse("multipart/related; type=application/octet-stream");
        assertEquals("application/octet-stream", quoted.parameter("type"));
        assertEquals(quoted, unquoted);
        assertEquals(quoted.hashCode(), unquoted.hashCode());
        assertEquals(quoted.toString(), unquoted.toString());
        assertEquals("multipart/related; type=\"application/octet-stream\"", quoted.toString());

        MediaType quotedToken = MediaType.parse("multipart/related; boundary=\"abc123\"");
        assertEquals(MediaType.parse("multipart/related; boundary=abc123"), quotedToken);
        assertEquals("multipart/related; boundary=abc123", quotedToken.toString(), "token values are not quoted");
    }

    @Test
    void orthancNestedTypeParameter() {
        MediaType mt = MediaType.parse(
                "multipart/related; type=\"image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50\"; boundary=abc");
        assertEquals("multipart/related", mt.essence());
        assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", mt.parameter("type"));
        assertEquals("abc", mt.parameter("boundary"));
        assertEquals(2, mt.parameters().size());

        MediaType inner = MediaType.parse(mt.parameter("type"));
        assertEquals("image/jpeg", inner.essence());
        assertEquals("1.2.840.10008.1.2.4.50", inner.parameter("transfer-syntax"));

        // canonical form round-trips
        assertEquals(mt, MediaType.parse(mt.toString()));
        assertEquals("multipart/related; type=\"image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50\"; boundary=abc",
                mt.toString());
    }

    @Test
    void quotedValueMayContainSeparatorsAndEscapes() {
        MediaType mt = MediaType.parse("a/b; x=\"1;2=3,4 5\"; y=\"say \\\"hi\\\" \\\\ ok\"; z=\"\"");
        assertEquals("1;2=3,4 5", mt.parameter("x"));
        assertEquals("say \"hi\" \\ ok", mt.parameter("y"));
        assertEquals("", mt.parameter("z"));
        assertEquals("a/b; x=\"1;2=3,4 5\"; y=\"say \\\"hi\\\" \\\\ ok\"; z=\"\"", mt.toString());
        assertEquals(mt, MediaType.parse(mt.toString()));
    }

    @Test
    void toleratesWhitespaceEmptyParametersAndTrailingSemicolon() {
        MediaType mt = MediaType.parse("  multipart/related ;;  type = \"application/dicom\" ;\tboundary=xyz ; ;  ");
        assertEquals("multipart/related", mt.essence());
        assertEquals("application/dicom", mt.parameter("type"));
        assertEquals("xyz", mt.parameter("boundary"));
        assertEquals("multipart/related; type=\"application/dicom\"; boundary=xyz", mt.toString());
        assertEquals(MediaType.parse("text/plain"), MediaType.parse("text/plain;"));
    }

    @Test
    void wildcardsParse() {
        MediaType all = MediaType.parse("*/*");
        assertEquals("*", all.type());
        assertEquals("*", all.subtype());
        MediaType images = MediaType.parse("image/*; q=0.5");
        assertEquals("image", images.type());
        assertEquals("*", images.subtype());
        assertEquals("0.5", images.parameter("q"));
        assertEquals("image/*; q=0.5", images.toString());
    }

    @Test
    void toStringQuotesOnlyNonTokens() {
        MediaType mt = MediaType.parse("a/b")
                .withParameter("t1", "a*b.c")
                .withParameter("t2", "x/y")
                .withParameter("t3", "x;y")
                .withParameter("t4", "x=y")
                .withParameter("t5", "x,y")
                .withParameter("t6", "x y")
                .withParameter("t7", "x\"y")
                .withParameter("t8", "!#$%&'*+-.^_`|~09azAZ")
                .withParameter("t9", "");
        assertEquals("a/b; t1=a*b.c; t2=\"x/y\"; t3=\"x;y\"; t4=\"x=y\"; t5=\"x,y\"; t6=\"x y\"; t7=\"x\\\"y\"; "
                + "t8=!#$%&'*+-.^_`|~09azAZ; t9=\"\"", mt.toString());
        assertEquals(mt, MediaType.parse(mt.toString()));
    }

    @Test
    void parameterLookupAndAbsentParameter() {
        MediaType mt = MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
        assertEquals("1.2.840.10008.1.2.1", mt.parameter("Transfer-Syntax"));
        assertNull(mt.parameter("charset"));
        assertNull(mt.parameter(null));
    }

    @Test
    void parametersMapIsUnmodifiableAndOrdered() {
        MediaType mt = MediaType.parse("a/b; z=1; a=2; m=3");
        assertEquals(List.of("z", "a", "m"), List.copyOf(mt.parameters().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> mt.parameters().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> mt.parameters().remove("z"));
    }

    @Test
    void withAndWithoutParameterReturnNewInstances() {
        MediaType mt = MediaType.parse("multipart/related; type=\"application/dicom\"; boundary=abc");
        MediaType without = mt.withoutParameter("BOUNDARY");
        assertEquals("multipart/related; type=\"application/dicom\"", without.toString());
        assertEquals("abc", mt.parameter("boundary"), "original unchanged");
        assertSame(mt, mt.withoutParameter("nope"));

        MediaType replaced = mt.withParameter("Type", "image/jpeg");
        assertEquals("multipart/related; type=\"image/jpeg\"; boundary=abc", replaced.toString(),
                "replacement keeps position");
        MediaType added = mt.withParameter("Transfer-Syntax", "*");
        assertEquals("multipart/related; type=\"application/dicom\"; boundary=abc; transfer-syntax=*",
                added.toString());
        assertEquals("*", added.parameter("transfer-syntax"));

        assertThrows(IllegalArgumentException.class, () -> mt.withParameter("bad name", "x"));
        assertThrows(IllegalArgumentException.class, () -> mt.withParameter("", "x"));
        assertThrows(IllegalArgumentException.class, () -> mt.withParameter(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> mt.withParameter("x", null));
        assertThrows(IllegalArgumentException.class, () -> mt.withParameter("x", "a\r\nb"));
    }

    @Test
    void equalsIgnoresParameterOrderButNotValues() {
        MediaType a = MediaType.parse("a/b; x=1; y=2");
        MediaType b = MediaType.parse("A/B; Y=2; X=\"1\"");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, MediaType.parse("a/b; x=1"));
        assertNotEquals(a, MediaType.parse("a/c; x=1; y=2"));
        assertNotEquals(a, MediaType.parse("c/b; x=1; y=2"));
        assertNotEquals(a, MediaType.parse("a/b; x=1; y=3"));
        assertFalse(a.equals(null));
        assertFalse(a.equals("a/b; x=1; y=2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "application", "/dicom", "application/", "application /dicom", "application/ dicom",
        "app@lication/dicom", "a/b c", "a/b; x", "a/b; x=", "a/b; =1", "a/b; x=\"unterminated",
        "a/b; x=\"ends with backslash\\", "a/b; x=1 2", "a/b x=1", "a/b; x=\"1\"2", "a/b, c/d",
        "a/b; x=1; X=2", "a/b; x=\"a\u0001b\"", "a/b/c", "a/b; x y=1"
    })
    void rejectsInvalidInput(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediaType.parse(input));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> MediaType.parse(null));
    }

    @Test
    void parseListSplitsOnlyOutsideQuotes() {
        List<MediaType> list = MediaType.parseList(
                "multipart/related; type=\"image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50\"; q=0.9, "
                        + "multipart/related; type=\"application/octet-stream, weird\"; q=0.5 ,"
                        + "application/dicom;q=0.1, */*;q=0");
        assertEquals(4, list.size());
        assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", list.get(0).parameter("type"));
        assertEquals("0.9", list.get(0).parameter("q"));
        assertEquals("application/octet-stream, weird", list.get(1).parameter("type"));
        assertEquals("0.5", list.get(1).parameter("q"));
        assertEquals("application/dicom", list.get(2).essence());
        assertEquals("0.1", list.get(2).parameter("q"));
        assertEquals("*/*", list.get(3).essence());
        assertEquals("0", list.get(3).parameter("q"));
    }

    @Test
    void parseListHandlesEscapedQuoteBeforeComma() {
        List<MediaType> list = MediaType.parseList("a/b; x=\"q\\\",still inside\", c/d");
        assertEquals(2, list.size());
        assertEquals("q\",still inside", list.get(0).parameter("x"));
        assertEquals("c/d", list.get(1).essence());
    }

    @Test
    void parseListSkipsEmptyElementsAndHandlesBlank() {
        assertEquals(List.of(), MediaType.parseList(null));
        assertEquals(List.of(), MediaType.parseList(""));
        assertEquals(List.of(), MediaType.parseList("  , ,"));
        List<MediaType> list = MediaType.parseList(", text/html,,  application/json ,");
        assertEquals(List.of(MediaType.parse("text/html"), MediaType.parse("application/json")), list);
        assertThrows(UnsupportedOperationException.class, () -> list.add(MediaType.parse("a/b")));
    }

    @Test
    void parseListRejectsInvalidElements() {
        assertThrows(IllegalArgumentException.class, () -> MediaType.parseList("text/html, nonsense"));
        assertThrows(IllegalArgumentException.class, () -> MediaType.parseList("a/b; x=\"unterminated, c/d"));
    }

    @Test
    void parametersReturnsLowerCaseKeys() {
        MediaType mt = MediaType.parse("a/b; CharSet=UTF-8");
        assertEquals(Map.of("charset", "UTF-8"), mt.parameters());
    }
}
