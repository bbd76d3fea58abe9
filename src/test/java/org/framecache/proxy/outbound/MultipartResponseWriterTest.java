package org.framecache.proxy.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.testing.StartedCamelContext;
import org.junit.jupiter.api.Test;

/** The client's multipart/related answer (PS3.18 §8.7.3.4), read back with the proxy's own reader. */
class MultipartResponseWriterTest extends StartedCamelContext {
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final String JPEG_TYPE = "image/jpeg; transfer-syntax=" + JPEG_BASELINE;
    private static final String BASE = "https://viewer.example.org/dicomweb";
    private static final String FRAMES_URL = BASE + "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/";
    private static final byte[] FRAME_5 = {(byte) 0xFF, (byte) 0xD8, 5, 5, 5, '\r', '\n', '-', '-', (byte) 0xFF, (byte) 0xD9};
    private static final byte[] FRAME_3 = {(byte) 0xFF, (byte) 0xD8, 3, 0, (byte) 0xFF, (byte) 0xD9, 0};


    private final MultipartResponseWriter writer = new MultipartResponseWriter("private, max-age=3600", 64 << 20);

    private static FrameRequest request(int... frames) {
        return new FrameRequest("1.2.3", "1.2.3.4", "1.2.3.4.5", frames, Representation.stored(),
                Representation.rendered("image/jpeg", ""), Map.of("Authorization", "Bearer x"), BASE);
    }

    private static Exchange exchange(FrameRequest request) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(FrameRequest.PROPERTY, request);
        exchange.getIn().setHeader("Accept", "*/*");
        exchange.getIn().setHeader("Authorization", "Bearer x");
        exchange.getIn().setHeader(Exchange.HTTP_PATH, "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/5,3,3");
        return exchange;
    }

    private static Exchange framesFor5And3And3() {
        FrameRequest request = request(5, 3, 3);
        request.put(5, new CachedFrame(JPEG_TYPE, FRAME_5));
        request.put(3, new CachedFrame(JPEG_TYPE, FRAME_3));
        return exchange(request);
    }

    private static byte[] body(Exchange exchange) {
        ByteBuffer buffer = assertInstanceOf(ByteBuffer.class, exchange.getMessage().getBody());
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String contentType(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
    }

    private static String boundary(Exchange exchange) {
        return MediaType.parse(contentType(exchange)).parameter("boundary");
    }

    private static List<BodyPart> parts(Exchange exchange) {
        List<BodyPart> parts = new ArrayList<>();
        new MultipartRelatedReader(1 << 20).parts(new ByteArrayInputStream(body(exchange)), contentType(exchange))
                .forEachRemaining(parts::add);
        return parts;
    }

    @Test
    void bodyStartsWithTheBoundaryAndEndsWithTheCloseDelimiter() {
        Exchange exchange = framesFor5And3And3();
        writer.frames(exchange);

        String boundary = boundary(exchange);
        String text = new String(body(exchange), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("--" + boundary + "\r\n"), text);
        assertTrue(text.endsWith("\r\n--" + boundary + "--\r\n"), text);
        assertTrue(boundary.matches("[0-9a-f]{32}"), boundary);
    }

    @Test
    void onePartPerRequestedFrameInRequestOrderWithExactBytes() {
        Exchange exchange = framesFor5And3And3();
        writer.frames(exchange);

        List<BodyPart> parts = parts(exchange);

        assertEquals(3, parts.size());
        assertArrayEquals(FRAME_5, parts.get(0).content());
        assertArrayEquals(FRAME_3, parts.get(1).content());
        assertArrayEquals(FRAME_3, parts.get(2).content());
        int[] expected = {5, 3, 3};
        for (int i = 0; i < 3; i++) {
            BodyPart part = parts.get(i);
            assertEquals(JPEG_TYPE, part.contentType());
            assertEquals(FRAMES_URL + expected[i], part.headers().get("content-location"));
            assertEquals(part.content().length, part.declaredLength());
        }
    }

    @Test
    void topLevelContentTypeNamesTypeSyntaxAndBoundary() {
        Exchange exchange = framesFor5And3And3();
        writer.frames(exchange);

        String contentType = contentType(exchange);
        assertEquals("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE + "; boundary="
                + boundary(exchange), contentType);
    }

    @Test
    void responseHeadersReplaceTheInboundOnes() {
        Exchange exchange = framesFor5And3And3();
        writer.frames(exchange);

        var message = exchange.getMessage();
        assertEquals(200, message.getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("Accept", message.getHeader("Vary"));
        assertEquals("private, max-age=3600", message.getHeader("Cache-Control"));
        assertNull(message.getHeader("Authorization"));
        assertNull(message.getHeader("Accept"));
        assertNull(message.getHeader(Exchange.HTTP_PATH));
        assertEquals(4, message.getHeaders().size(), message.getHeaders().toString());
    }

    @Test
    void anAnswerOverTheBudgetIs413AndOneAtTheBudgetIsServed() {
        FrameRequest request = request(5, 3, 3);
        request.put(5, new CachedFrame(JPEG_TYPE, FRAME_5));
        request.put(3, new CachedFrame(JPEG_TYPE, FRAME_3));
        long length = writer.frames(request).length();
        assertEquals(length, new MultipartResponseWriter("", length).frames(request).length());
        ProxyException refused = assertThrows(ProxyException.class,
                () -> new MultipartResponseWriter("", length - 1).frames(request));
        assertEquals(413, refused.getStatus());
        assertTrue(refused.getMessage().contains("proxy.max-answer-bytes"), refused.getMessage());
    }

    @Test
    void aRepeatedFrameIsTheSameBytesAgainNotACopy() {
        byte[] large = new byte[1 << 20];
        FrameRequest request = request(7, 7, 7, 7);
        request.put(7, new CachedFrame(JPEG_TYPE, large));
        ByteBuffer[] pieces = writer.frames(request).pieces();
        large[0] = 42; // written into the cached frame after the answer was made: every part shows it
        for (int part = 0; part < 4; part++) {
            assertTrue(pieces[2 * part + 1].isReadOnly());
            assertEquals(42, pieces[2 * part + 1].get(0), "part " + part + " is a view of the cached bytes");
        }
    }

    @Test
    void emptyCacheControlIsNotSent() {
        Exchange exchange = framesFor5And3And3();
        new MultipartResponseWriter("", 64 << 20).frames(exchange);

        assertFalse(exchange.getMessage().getHeaders().containsKey("Cache-Control"));
        assertEquals("Accept", exchange.getMessage().getHeader("Vary"));
    }

    @Test
    void twoResponsesGetDifferentBoundaries() {
        Exchange first = framesFor5And3And3();
        Exchange second = framesFor5And3And3();
        writer.frames(first);
        writer.frames(second);

        assertNotEquals(boundary(first), boundary(second));
    }

    @Test
    void boundaryDoesNotOccurInTheFrames() {
        Exchange exchange = framesFor5And3And3();
        writer.frames(exchange);

        String text = new String(body(exchange), StandardCharsets.ISO_8859_1);
        Matcher delimiters = Pattern.compile(Pattern.quote("--" + boundary(exchange))).matcher(text);
        int count = 0;
        while (delimiters.find()) {
            count++;
        }
        assertEquals(4, count, "three part delimiters and one close delimiter");
    }

    @Test
    void renderedFallbackPartIsLabelledBaselineJpeg() {
        byte[] rendered = {(byte) 0xFF, (byte) 0xD8, 42, (byte) 0xFF, (byte) 0xD9};
        FrameRequest request = request(7);
        request.put(7, new CachedFrame("image/jpeg", rendered));
        Exchange exchange = exchange(request);

        writer.frames(exchange);

        List<BodyPart> parts = parts(exchange);
        assertEquals(1, parts.size());
        assertEquals(JPEG_TYPE, parts.get(0).contentType());
        assertEquals(FRAMES_URL + 7, parts.get(0).headers().get("content-location"));
        assertArrayEquals(rendered, parts.get(0).content());
        assertEquals("multipart/related; type=\"image/jpeg\"; transfer-syntax=" + JPEG_BASELINE + "; boundary="
                + boundary(exchange), contentType(exchange));
    }

    @Test
    void uncompressedFramesKeepTheirType() {
        String type = "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1";
        FrameRequest request = request(1);
        request.put(1, new CachedFrame(type, new byte[] {0, 1, 2, 3}));
        Exchange exchange = exchange(request);

        writer.frames(exchange);

        assertEquals("multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1"
                + "; boundary=" + boundary(exchange), contentType(exchange));
        assertEquals(type, parts(exchange).get(0).contentType());
    }

    @Test
    void severalRenderedJpegFramesNameNoTransferSyntax() {
        // PS3.18 §8.7.4: rendered media types have no transfer syntax, in the top type nor in the parts
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};
        FrameRequest request = new FrameRequest("1.2.3", "1.2.3.4", "1.2.3.4.5", new int[] {2, 3},
                Representation.rendered("image/jpeg", ""), null, Map.of(), BASE);
        request.put(2, new CachedFrame("image/jpeg", jpeg));
        request.put(3, new CachedFrame("image/jpeg", jpeg));
        Exchange exchange = exchange(request);

        writer.rendered(exchange);

        assertEquals("multipart/related; type=\"image/jpeg\"; boundary=" + boundary(exchange), contentType(exchange));
        for (var part : parts(exchange)) {
            assertEquals("image/jpeg", part.contentType());
            assertArrayEquals(jpeg, part.content());
        }
    }

    @Test
    void renderedAnswerIsTheSingleImage() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0};
        FrameRequest request = new FrameRequest("1.2.3", "1.2.3.4", "1.2.3.4.5", new int[] {2},
                Representation.rendered("image/png", ""), null, Map.of(), BASE);
        request.put(2, new CachedFrame("image/png", png));
        Exchange exchange = exchange(request);

        writer.rendered(exchange);

        assertArrayEquals(png, body(exchange));
        assertEquals("image/png", contentType(exchange));
        assertEquals(200, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("Accept", exchange.getMessage().getHeader("Vary"));
        assertEquals("private, max-age=3600", exchange.getMessage().getHeader("Cache-Control"));
        assertNull(exchange.getMessage().getHeader("Authorization"));
    }
}
