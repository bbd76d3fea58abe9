package org.framecache.proxy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.framecache.proxy.http.ProxyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** PS3.18 §8.7.3.5 and RFC 9110 §12.5.1 as the proxy applies them; one row per Accept spelling. */
class AcceptNegotiatorTest {
    private static final String EVRLE = "1.2.840.10008.1.2.1";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    private static final String JP2_LOSSLESS = "1.2.840.10008.1.2.4.90";
    private static final String HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201";
    private static final String STORED_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    private final AcceptNegotiator negotiator = new AcceptNegotiator();

    /** Accept, expected media type (null = stored), expected transfer syntax. */
    static Stream<Arguments> frameAccepts() {
        return Stream.of(
                // whatever is stored
                Arguments.of("*/*", null, "*"),
                Arguments.of("multipart/related", null, "*"),
                Arguments.of(STORED_ACCEPT, null, "*"),
                Arguments.of("multipart/related; type=application/octet-stream; transfer-syntax=*", null, "*"),
                Arguments.of("multipart/related;type=\"application/octet-stream\";transfer-syntax=*", null, "*"),
                Arguments.of("Multipart/Related; Type=\"Application/Octet-Stream\"; Transfer-Syntax=*", null, "*"),
                Arguments.of("multipart/related; type=\"application/octet-stream; transfer-syntax=*\"", null, "*"),
                Arguments.of("multipart/related; type=\"*/*\"", null, "*"),
                // uncompressed: the default syntax of application/octet-stream
                Arguments.of("multipart/related; type=application/octet-stream", "application/octet-stream", EVRLE),
                Arguments.of("multipart/related; type=\"application/octet-stream\"", "application/octet-stream", EVRLE),
                Arguments.of("application/octet-stream", "application/octet-stream", EVRLE),
                Arguments.of("multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + EVRLE,
                        "application/octet-stream", EVRLE),
                // explicit compressed syntaxes
                Arguments.of("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE,
                        "image/jpeg", JPEG_BASELINE),
                Arguments.of("multipart/related; type=image/jpeg; transfer-syntax=" + JPEG_BASELINE,
                        "image/jpeg", JPEG_BASELINE),
                Arguments.of("multipart/related; type=\"image/jpeg; transfer-syntax=" + JPEG_BASELINE + "\"",
                        "image/jpeg", JPEG_BASELINE),
                Arguments.of("image/jpeg; transfer-syntax=" + JPEG_BASELINE, "image/jpeg", JPEG_BASELINE),
                Arguments.of("multipart/related; transfer-syntax=" + JP2_LOSSLESS, "image/jp2", JP2_LOSSLESS),
                Arguments.of("multipart/related; type=\"image/jp2\"; transfer-syntax=" + JP2_LOSSLESS,
                        "image/jp2", JP2_LOSSLESS),
                // a media type without a syntax: its PS3.18 default
                Arguments.of("multipart/related; type=\"image/jpeg\"", "image/jpeg", JPEG_LOSSLESS_SV1),
                Arguments.of("image/jpeg", "image/jpeg", JPEG_LOSSLESS_SV1),
                Arguments.of("multipart/related; type=\"image/jp2\"", "image/jp2", JP2_LOSSLESS),
                Arguments.of("multipart/related; type=\"image/jls\"", "image/jls", "1.2.840.10008.1.2.4.80"),
                // any syntax of one media type
                Arguments.of("multipart/related; type=\"image/jpeg\"; transfer-syntax=*", "image/jpeg", "*"),
                // HTJ2K: both spellings name one representation
                Arguments.of("multipart/related; type=\"image/jhc\"", "image/jphc", HTJ2K_LOSSLESS),
                Arguments.of("multipart/related; type=\"image/jphc\"", "image/jphc", HTJ2K_LOSSLESS),
                Arguments.of("multipart/related; type=\"image/jhc\"; transfer-syntax=1.2.840.10008.1.2.4.202",
                        "image/jphc", "1.2.840.10008.1.2.4.202"),
                Arguments.of("image/jhc", "image/jphc", HTJ2K_LOSSLESS),
                // q-values: the highest acceptable q wins, whatever the order
                Arguments.of("multipart/related; type=\"image/jpeg\"; q=0.5, multipart/related; type=\"image/jp2\"; q=0.9",
                        "image/jp2", JP2_LOSSLESS),
                Arguments.of("multipart/related; type=\"image/jp2\"; q=0.9, " + STORED_ACCEPT + "; q=0.1",
                        "image/jp2", JP2_LOSSLESS),
                // q=0 means "not this"
                Arguments.of(STORED_ACCEPT + "; q=0, multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE,
                        "image/jpeg", JPEG_BASELINE),
                Arguments.of("*/*; q=0, image/jpeg; q=0.2", "image/jpeg", JPEG_LOSSLESS_SV1),
                // equal q: the stored bytes win (no transcoding), in either order
                Arguments.of("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE + ", " + STORED_ACCEPT,
                        null, "*"),
                Arguments.of(STORED_ACCEPT + ", multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE,
                        null, "*"),
                Arguments.of("multipart/related; type=\"image/jpeg\"; q=0.8, */*; q=0.8", null, "*"),
                // among equal q without a stored range, the first acceptable one
                Arguments.of("text/html, multipart/related; type=\"image/jp2\", image/jpeg", "image/jp2", JP2_LOSSLESS),
                // an unacceptable range with higher q does not block a lower acceptable one
                Arguments.of("text/html, image/jpeg; q=0.3", "image/jpeg", JPEG_LOSSLESS_SV1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("frameAccepts")
    void framesRepresentation(String accept, String mediaType, String transferSyntax) {
        Representation representation = negotiator.forFrames(accept);

        assertFalse(representation.rendered());
        assertEquals(mediaType, representation.mediaType());
        assertEquals(transferSyntax, representation.transferSyntax());
        assertEquals("", representation.query());
        assertEquals(mediaType == null, representation.isStored());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void absentAcceptIsTheStoredBytes(String accept) {
        Representation representation = negotiator.forFrames(accept);

        assertTrue(representation.isStored());
        assertEquals(STORED_ACCEPT, representation.upstreamAccept());
        assertEquals("raw:*", representation.cacheTag());
    }

    @Test
    void spellingsOfTheStoredBytesShareOneCacheTag() {
        assertEquals(negotiator.forFrames("*/*").cacheTag(),
                negotiator.forFrames("multipart/related; type=application/octet-stream; transfer-syntax=*").cacheTag());
    }

    @Test
    void explicitSyntaxUpstreamAcceptAndCacheTag() {
        Representation representation = negotiator.forFrames(
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE);

        assertEquals("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE,
                representation.upstreamAccept());
        assertEquals("raw:image/jpeg:" + JPEG_BASELINE, representation.cacheTag());
    }

    @Test
    void uncompressedUpstreamAcceptAndCacheTag() {
        Representation representation = negotiator.forFrames("multipart/related; type=application/octet-stream");

        assertEquals("multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + EVRLE,
                representation.upstreamAccept());
        assertEquals("raw:application/octet-stream:" + EVRLE, representation.cacheTag());
    }

    @Test
    void htj2kSpellingsShareOneUpstreamAcceptAndCacheTag() {
        Representation jhc = negotiator.forFrames("multipart/related; type=\"image/jhc\"");
        Representation jphc = negotiator.forFrames("multipart/related; type=\"image/jphc\"");

        assertEquals(jphc, jhc);
        assertEquals("multipart/related; type=\"image/jphc\"; transfer-syntax=" + HTJ2K_LOSSLESS, jhc.upstreamAccept());
        assertEquals("raw:image/jphc:" + HTJ2K_LOSSLESS, jhc.cacheTag());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "text/html",
        "application/dicom",
        "application/pdf, text/plain",
        // media type and syntax disagree
        "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JP2_LOSSLESS,
        "multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + JPEG_BASELINE,
        "image/jp2; transfer-syntax=" + JPEG_BASELINE,
        // unknown syntax or media type
        "multipart/related; transfer-syntax=1.2.3.4",
        "multipart/related; type=\"image/gif\"",
        "multipart/related; type=\"image/gif\"; transfer-syntax=*",
        // everything excluded
        "*/*; q=0",
        STORED_ACCEPT + "; q=0",
    })
    void unacceptableFramesAre406(String accept) {
        ProxyException e = assertThrows(ProxyException.class, () -> negotiator.forFrames(accept));

        assertEquals(406, e.getStatus());
        assertTrue(e.getMessage().contains("none is acceptable"), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "multipart/related; type=\"image/jpeg",
        "image",
        "image/",
        "/jpeg",
        "image/jpeg; transfer-syntax",
        "multipart/related; type=a; type=b",
        "image/jpeg; q=abc",
        "image/jpeg; q=1.5",
        "image/jpeg; q=-0.1",
        "*/*; q=2",
    })
    void malformedAcceptIs400(String accept) {
        ProxyException e = assertThrows(ProxyException.class, () -> negotiator.forFrames(accept));

        assertEquals(400, e.getStatus());
        assertTrue(e.getMessage().contains("Accept"), e.getMessage());
    }

    // --- rendered ---

    /** Accept, expected rendered media type. */
    static Stream<Arguments> renderedAccepts() {
        return Stream.of(
                Arguments.of(null, "image/jpeg"),
                Arguments.of("", "image/jpeg"),
                Arguments.of("*/*", "image/jpeg"),
                Arguments.of("image/*", "image/jpeg"),
                Arguments.of("image/jpeg", "image/jpeg"),
                Arguments.of("image/png", "image/png"),
                Arguments.of("IMAGE/PNG", "image/png"),
                Arguments.of("image/png; q=0.5, image/jpeg", "image/jpeg"),
                Arguments.of("image/jpeg; q=0.5, image/png", "image/png"),
                Arguments.of("image/png; q=0, */*; q=0.1", "image/jpeg"),
                Arguments.of("image/jpeg; q=0, image/png; q=0.1", "image/png"),
                Arguments.of("application/pdf, image/png; q=0.2", "image/png"),
                Arguments.of("image/webp, image/png", "image/png"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("renderedAccepts")
    void renderedRepresentation(String accept, String mediaType) {
        Representation representation = negotiator.forRendered(accept, "quality=90");

        assertTrue(representation.rendered());
        assertEquals(mediaType, representation.mediaType());
        assertNull(representation.transferSyntax());
        assertEquals("quality=90", representation.query());
        assertEquals(mediaType, representation.upstreamAccept());
        assertEquals("rendered:" + mediaType + "?quality=90", representation.cacheTag());
    }

    @Test
    void renderedWithoutQueryHasAPlainCacheTag() {
        Representation representation = negotiator.forRendered(null, "");

        assertEquals("rendered:image/jpeg", representation.cacheTag());
        assertEquals("image/jpeg", representation.upstreamAccept());
        assertFalse(representation.isStored());
    }

    @Test
    void renderedNullQueryIsEmpty() {
        assertEquals("", negotiator.forRendered("image/png", null).query());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "image/jpeg; transfer-syntax=" + JPEG_BASELINE,
        "image/png; transfer-syntax=*",
        "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE,
    })
    void renderedTransferSyntaxIs400(String accept) {
        ProxyException e = assertThrows(ProxyException.class, () -> negotiator.forRendered(accept, ""));

        assertEquals(400, e.getStatus());
        assertTrue(e.getMessage().contains("transfer-syntax"), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"application/pdf", "text/html, application/json", "image/*; q=0", "image/png; q=0"})
    void unacceptableRenderedIs406(String accept) {
        ProxyException e = assertThrows(ProxyException.class, () -> negotiator.forRendered(accept, ""));

        assertEquals(406, e.getStatus());
        assertTrue(e.getMessage().contains("image/jpeg, image/png"), e.getMessage());
    }

    @Test
    void renderedTypeNotAvailableHereIs406WithTheReason() {
        ProxyException e = assertThrows(ProxyException.class, () -> negotiator.forRendered("image/gif", ""));

        assertEquals(406, e.getStatus());
        assertEquals("image/gif is not available here: the proxy has no encoder for it", e.getMessage());
    }

    @Test
    void renderedTypesFollowTheirQValuesAmongThoseAvailable() {
        AcceptNegotiator all = new AcceptNegotiator(type -> java.util.Optional.empty());

        assertEquals("image/webp", all.renderedType("image/jpeg; q=0.5, image/webp"));
        assertEquals("image/jxl", all.renderedType("image/jxl, image/png; q=0.9"));
        assertEquals("image/gif", all.renderedType("multipart/related; type=\"image/gif\""));
        assertEquals("image/jpeg", all.renderedType("*/*"));
        assertEquals("image/png", negotiator.renderedType("image/webp, image/png; q=0.1"));
    }

    @Test
    void explicitlyRefusedRenderedTypeIsNotChosenThroughAWildcard() {
        Representation representation = negotiator.forRendered("image/jpeg; q=0, */*; q=0.1", "");

        assertEquals("image/png", representation.mediaType());
    }

    @Test
    void malformedRenderedAcceptIs400() {
        ProxyException e = assertThrows(ProxyException.class, () -> negotiator.forRendered("image/png; q=x", ""));

        assertEquals(400, e.getStatus());
    }
}
