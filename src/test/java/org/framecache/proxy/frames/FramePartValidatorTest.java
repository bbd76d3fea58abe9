package org.framecache.proxy.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.StartedCamelContext;
import org.framecache.proxy.upstream.RawRetrievalException;
import org.junit.jupiter.api.Test;

/** One split step per part of the store's answer, then the count check, as in routes/fetch-frames.camel.yaml. */
class FramePartValidatorTest extends StartedCamelContext {
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final String JP2_LOSSLESS = "1.2.840.10008.1.2.4.90";
    private static final String EVRLE = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT_VR = "1.2.840.10008.1.2";
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9, 0};


    private final FramePartValidator validator = new FramePartValidator(List.of(JPEG_BASELINE, JP2_LOSSLESS, EVRLE), Long.MAX_VALUE);

    private static FrameRequest request(Representation representation, int... frames) {
        return new FrameRequest("1.2.3", "1.2.3.4", "1.2.3.4.5", frames, representation, null, Map.of(), "http://h");
    }

    private static Exchange split(FrameRequest request, int index, String partType, byte[] content, String topLevelType) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(FrameRequest.PROPERTY, request);
        exchange.setProperty(Exchange.SPLIT_INDEX, index);
        exchange.getIn().setBody(new BodyPart(partType == null ? Map.of() : Map.of("Content-Type", partType), content));
        if (topLevelType != null) {
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, topLevelType);
        }
        return exchange;
    }

    private static Exchange split(Representation asked, String partType, byte[] content) {
        return split(request(asked, 1), 0, partType, content,
                "multipart/related; type=\"application/octet-stream\"; boundary=b");
    }

    private RawRetrievalException rejected(Exchange exchange) {
        RawRetrievalException e = assertThrows(RawRetrievalException.class, () -> validator.validate(exchange));
        assertEquals(502, e.getStatus());
        return e;
    }

    // --- validate ---

    @Test
    void goodJpegPartIsServedWithItsCanonicalType() {
        CachedFrame frame = validator.validate(split(Representation.stored(),
                "image/jpeg; transfer-syntax=" + JPEG_BASELINE, JPEG));

        assertEquals("image/jpeg; transfer-syntax=" + JPEG_BASELINE, frame.contentType());
        assertArrayEquals(JPEG, frame.bytes());
    }

    @Test
    void partTypeIsNormalised() {
        CachedFrame frame = validator.validate(split(Representation.stored(),
                "Image/JPEG;transfer-syntax=\"" + JPEG_BASELINE + "\"", JPEG));

        assertEquals("image/jpeg; transfer-syntax=" + JPEG_BASELINE, frame.contentType());
    }

    @Test
    void uncompressedPartIsAccepted() {
        byte[] pixels = {0, 1, 2, 3};
        CachedFrame frame = validator.validate(split(Representation.stored(),
                "application/octet-stream; transfer-syntax=" + EVRLE, pixels));

        assertEquals("application/octet-stream; transfer-syntax=" + EVRLE, frame.contentType());
        assertArrayEquals(pixels, frame.bytes());
    }

    @Test
    void emptyPartIsRejectedWithItsNumber() {
        Exchange exchange = split(request(Representation.stored(), 1, 2, 3), 2,
                "image/jpeg; transfer-syntax=" + JPEG_BASELINE, new byte[0], null);

        RawRetrievalException e = rejected(exchange);
        assertEquals("part 3 of the store's answer is empty", e.getMessage());
    }

    @Test
    void unsupportedSyntaxIsRejected() {
        RawRetrievalException e = rejected(split(Representation.stored(),
                "application/octet-stream; transfer-syntax=" + IMPLICIT_VR, JPEG));

        assertTrue(e.getMessage().startsWith("part 1 is application/octet-stream"), e.getMessage());
        assertTrue(e.getMessage().contains("not a supported stored syntax"), e.getMessage());
    }

    @Test
    void unknownSyntaxIsRejected() {
        rejected(split(Representation.stored(), "image/jpeg; transfer-syntax=1.2.3.4", JPEG));
    }

    @Test
    void mediaTypeAndSyntaxMismatchIsRejected() {
        RawRetrievalException e = rejected(split(Representation.stored(),
                "image/jpeg; transfer-syntax=" + JP2_LOSSLESS, JPEG));

        assertTrue(e.getMessage().contains("not a supported stored syntax"), e.getMessage());
    }

    @Test
    void partWithoutAnySyntaxIsRejected() {
        RawRetrievalException e = rejected(split(Representation.stored(), "image/jpeg", JPEG));

        assertTrue(e.getMessage().contains("names no transfer syntax"), e.getMessage());
    }

    @Test
    void partWithoutContentTypeIsRejected() {
        rejected(split(request(Representation.stored(), 1), 0, null, JPEG, null));
    }

    @Test
    void malformedPartTypeIsRejected() {
        RawRetrievalException e = rejected(split(Representation.stored(), "image/jpeg; transfer-syntax=\"", JPEG));

        assertTrue(e.getMessage().contains("malformed content type"), e.getMessage());
    }

    @Test
    void syntaxFromTheTopLevelTransferSyntaxParameter() {
        Exchange exchange = split(request(Representation.stored(), 1), 0, "image/jpeg", JPEG,
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE + "; boundary=abc");

        assertEquals("image/jpeg; transfer-syntax=" + JPEG_BASELINE, validator.validate(exchange).contentType());
    }

    @Test
    void syntaxFromInsideTheQuotedTopLevelType() {
        Exchange exchange = split(request(Representation.stored(), 1), 0, "image/jpeg", JPEG,
                "multipart/related; type=\"image/jpeg; transfer-syntax=" + JPEG_BASELINE + "\"; boundary=abc");

        assertEquals("image/jpeg; transfer-syntax=" + JPEG_BASELINE, validator.validate(exchange).contentType());
    }

    @Test
    void partsOwnSyntaxWinsOverTheTopLevelOne() {
        Exchange exchange = split(request(Representation.stored(), 1), 0, "image/jp2; transfer-syntax=" + JP2_LOSSLESS,
                JPEG, "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE + "; boundary=abc");

        assertEquals("image/jp2; transfer-syntax=" + JP2_LOSSLESS, validator.validate(exchange).contentType());
    }

    @Test
    void topLevelSyntaxStillHasToMatchThePartType() {
        Exchange exchange = split(request(Representation.stored(), 1), 0, "image/jp2", JPEG,
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE + "; boundary=abc");

        rejected(exchange);
    }

    @Test
    void partWithOtherSyntaxThanExplicitlyRequestedIsRejected() {
        Representation asked = Representation.raw("image/jpeg", JPEG_BASELINE);
        RawRetrievalException e = rejected(split(asked, "image/jp2; transfer-syntax=" + JP2_LOSSLESS, JPEG));

        assertTrue(e.getMessage().contains("was asked for"), e.getMessage());
        assertTrue(e.getMessage().contains(asked.upstreamAccept()), e.getMessage());
    }

    @Test
    void partWithOtherSyntaxOfTheRequestedMediaTypeIsRejected() {
        Representation asked = Representation.raw("image/jpeg", "1.2.840.10008.1.2.4.70");
        FramePartValidator lenient = new FramePartValidator(List.of(JPEG_BASELINE, "1.2.840.10008.1.2.4.70"), Long.MAX_VALUE);

        Exchange exchange = split(asked, "image/jpeg; transfer-syntax=" + JPEG_BASELINE, JPEG);
        RawRetrievalException e = assertThrows(RawRetrievalException.class, () -> lenient.validate(exchange));
        assertTrue(e.getMessage().contains("was asked for"), e.getMessage());
    }

    @Test
    void partMatchingTheRequestedSyntaxIsAccepted() {
        CachedFrame frame = validator.validate(split(Representation.raw("image/jpeg", JPEG_BASELINE),
                "image/jpeg; transfer-syntax=" + JPEG_BASELINE, JPEG));

        assertEquals("image/jpeg; transfer-syntax=" + JPEG_BASELINE, frame.contentType());
    }

    @Test
    void anySyntaxOfTheRequestedMediaTypeIsAccepted() {
        CachedFrame frame = validator.validate(split(Representation.raw("image/jp2", "*"),
                "image/jp2; transfer-syntax=" + JP2_LOSSLESS, JPEG));

        assertEquals("image/jp2; transfer-syntax=" + JP2_LOSSLESS, frame.contentType());
    }

    @Test
    void otherMediaTypeThanRequestedAnySyntaxOfIsRejected() {
        rejected(split(Representation.raw("image/jp2", "*"), "image/jpeg; transfer-syntax=" + JPEG_BASELINE, JPEG));
    }

    // --- assign ---

    private static CachedFrame frame(String text) {
        return new CachedFrame("image/jpeg; transfer-syntax=" + JPEG_BASELINE, text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void assignNumbersPartsInMissingOrder() {
        FrameRequest request = request(Representation.stored(), 5, 3, 3, 9);
        CachedFrame a = frame("a");
        CachedFrame b = frame("b");
        CachedFrame c = frame("c");

        List<FetchedFrame> fetched = validator.assign(request, List.of(a, b, c));

        assertEquals(3, fetched.size());
        assertEquals(5, fetched.get(0).frame());
        assertSame(a, fetched.get(0).content());
        assertEquals(3, fetched.get(1).frame());
        assertSame(b, fetched.get(1).content());
        assertEquals(9, fetched.get(2).frame());
        assertSame(c, fetched.get(2).content());
        fetched.forEach(f -> assertEquals(Representation.stored(), f.representation()));
    }

    @Test
    void assignSkipsFramesAlreadyFound() {
        Representation asked = Representation.raw("image/jpeg", JPEG_BASELINE);
        FrameRequest request = request(asked, 5, 3, 9);
        request.put(3, frame("cached"));
        CachedFrame a = frame("a");
        CachedFrame b = frame("b");

        List<FetchedFrame> fetched = validator.assign(request, List.of(a, b));

        assertEquals(List.of(new FetchedFrame(5, asked, a), new FetchedFrame(9, asked, b)), fetched);
    }

    @Test
    void tooFewPartsAreRejected() {
        FrameRequest request = request(Representation.stored(), 5, 3, 3);

        RawRetrievalException e = assertThrows(RawRetrievalException.class,
                () -> validator.assign(request, List.of(frame("a"))));
        assertEquals("store answered 1 parts for 2 frames", e.getMessage());
    }

    @Test
    void tooManyPartsAreRejected() {
        FrameRequest request = request(Representation.stored(), 5);

        RawRetrievalException e = assertThrows(RawRetrievalException.class,
                () -> validator.assign(request, List.of(frame("a"), frame("b"))));
        assertEquals("store answered 2 parts for 1 frames", e.getMessage());
    }

    @Test
    void noPartsAtAllAreRejected() {
        FrameRequest request = request(Representation.stored(), 5);

        assertThrows(RawRetrievalException.class, () -> validator.assign(request, null));
    }
}
