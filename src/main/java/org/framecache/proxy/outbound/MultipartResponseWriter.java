package org.framecache.proxy.outbound;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.InboundMethod;

/**
 * Writes the client's answer from the frames gathered in the request. Frames: multipart/related (PS3.18
 * §8.7.3.4), one part per requested frame in request order, duplicates repeated, each with its Content-Type and a
 * Content-Location naming the frame on the proxy; the body starts with the boundary (no preamble). Rendered: the
 * single image. An answer is never assembled whole: small ones are copied once, into the response buffer; larger
 * ones are written piece by piece from the cached frames ({@link AnswerStream}), a repeated frame as the same
 * read-only view again. A frames answer over {@code proxy.max-answer-bytes} is refused (413) before any of it is
 * written.
 */
public final class MultipartResponseWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MultipartResponseWriter.class);
    private static final Map<String, String> MULTIPART_TYPES = new ConcurrentHashMap<>();
    private static final long MAX_RESPONSE_BYTES = Integer.MAX_VALUE - 64;
    /** The status the access log records for an answer the client did not take whole (nginx's "client closed"). */
    public static final int NOT_DELIVERED = 499;

    /** RFC 7234 §5.5 warn-code 214: this answer carries the store's rendered JPEG in place of stored bytes. */
    static final String RENDERED_FALLBACK = "214 dicomweb-frame-cache \"Transformation Applied: rendered fallback\"";

    private final String cacheControl;
    private final long maxAnswerBytes;

    public MultipartResponseWriter(String cacheControl, long maxAnswerBytes) {
        this.cacheControl = cacheControl;
        this.maxAnswerBytes = Math.min(maxAnswerBytes, MAX_RESPONSE_BYTES);
    }

    /** The largest frames answer served (proxy.max-answer-bytes). */
    public long getMaxAnswerBytes() {
        return maxAnswerBytes;
    }

    /**
     * An answer: its content type and its body as pieces in order (part heads as ASCII, frames as read-only views of
     * their cache values), so that a server writing pieces copies each frame once, into the connection.
     */
    public record Answer(String contentType, ByteBuffer[] pieces) {
        public long length() {
            long length = 0;
            for (ByteBuffer piece : pieces) {
                length += piece.remaining();
            }
            return length;
        }

        /** The body in one buffer (what the route's message carries for small answers): the frames copied once, into it. */
        public ByteBuffer body() {
            if (pieces.length == 1) {
                return pieces[0];
            }
            ByteBuffer body = ByteBuffer.allocate((int) length());
            for (ByteBuffer piece : pieces) {
                body.put(piece.duplicate());
            }
            return body.flip();
        }
    }

    public void frames(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        respond(exchange.getMessage(), frames(request), request.servedRenderedFallback());
    }

    public Answer frames(FrameRequest request) {
        return frames(request, false);
    }

    /** @param rendered the frames are rendered images: Content-Location ends "/rendered", no transfer syntax named */
    private Answer frames(FrameRequest request, boolean rendered) {
        String suffix = rendered ? "/rendered" : "";
        int[] frames = request.getFrames();
        String[] types = new String[frames.length];
        String[] locations = new String[frames.length];
        ByteBuffer[] bodies = new ByteBuffer[frames.length];
        String location = request.getPublicBaseUrl() + request.instancePath() + "/frames/";
        for (int i = 0; i < frames.length; i++) {
            CachedFrame frame = request.get(frames[i]);
            // rendered media types have no transfer syntax (PS3.18 §8.7.4): the image's own type
            types[i] = rendered ? frame.contentType() : partContentType(frame.contentType());
            locations[i] = location + frames[i] + suffix;
            bodies[i] = frame.buffer();
        }
        String boundary = newBoundary();
        return new Answer(multipartType(types[0], boundary), pieces(boundary, types, locations, bodies, maxAnswerBytes));
    }

    /**
     * A multipart/related body: one part per body with its Content-Type, Content-Location (when not null) and
     * Content-Length, starting with the boundary (no preamble). Each body is copied once.
     */
    public static ByteBuffer multipart(String boundary, String[] types, String[] locations, byte[][] bodies) {
        ByteBuffer[] buffers = new ByteBuffer[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            buffers[i] = ByteBuffer.wrap(bodies[i]);
        }
        return new Answer("", pieces(boundary, types, locations, buffers, MAX_RESPONSE_BYTES)).body();
    }

    /**
     * The pieces of a multipart/related body: for each part its head (the CRLF ending the previous part, boundary,
     * Content-Type, Content-Location, Content-Length) then its body; the close delimiter last. Bodies are not copied.
     */
    private static ByteBuffer[] pieces(String boundary, String[] types, String[] locations, ByteBuffer[] bodies,
                                       long maxBytes) {
        ByteBuffer[] pieces = new ByteBuffer[2 * bodies.length + 1];
        long size = 0;
        for (int i = 0; i < bodies.length; i++) {
            String head = (i == 0 ? "--" : "\r\n--") + boundary + "\r\nContent-Type: " + types[i]
                    + (locations[i] == null ? "" : "\r\nContent-Location: " + locations[i])
                    + "\r\nContent-Length: " + bodies[i].remaining() + "\r\n\r\n";
            pieces[2 * i] = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
            pieces[2 * i + 1] = bodies[i];
            size += pieces[2 * i].remaining() + bodies[i].remaining();
        }
        String close = (bodies.length == 0 ? "--" : "\r\n--") + boundary + "--\r\n";
        pieces[pieces.length - 1] = ByteBuffer.wrap(close.getBytes(StandardCharsets.US_ASCII));
        if (size + pieces[pieces.length - 1].remaining() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return pieces;
    }

    /** 413 (RFC 9110 §15.5.14 names the request; here the answer the request asks for is too large). */
    public static ProxyException tooLarge(long maxBytes) {
        return new ProxyException(413, "the frames asked for add up to more than " + maxBytes
                + " bytes (proxy.max-answer-bytes): ask for fewer frames at a time");
    }

    public void rendered(Exchange exchange) {
        respond(exchange.getMessage(), rendered(exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class)), false);
    }

    /** One frame: the image as found (no copy); several: multipart/related, a part per frame (PS3.18 §8.7.4, §10.4.3). */
    public Answer rendered(FrameRequest request) {
        if (request.getFrames().length > 1) {
            return frames(request, true);
        }
        CachedFrame frame = request.get(request.getFrames()[0]);
        return new Answer(frame.contentType(), new ByteBuffer[] {frame.buffer()});
    }

    /** The headers of every successful frames or rendered answer, besides Content-Type and Content-Length. */
    public void headers(BiConsumer<String, String> header) {
        header.accept("Vary", "Accept");
        if (!cacheControl.isEmpty()) {
            header.accept("Cache-Control", cacheControl);
        }
    }

    /**
     * The headers of a route's answer: those of every answer, and for a rendered substitute, Warning and no-store (it
     * serves this answer only: no browser or shared cache keeps it under the stored-bytes URL).
     */
    private void answerHeaders(boolean substitute, BiConsumer<String, String> header) {
        headers(header);
        if (substitute) {
            header.accept("Warning", RENDERED_FALLBACK);
            header.accept("Cache-Control", "no-store");
        }
    }

    /** @param substitute the answer carries the store's rendered JPEG where stored bytes were asked for */
    private void respond(Message message, Answer answer, boolean substitute) {
        boolean head = InboundMethod.isHead(message.getExchange());
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
        answerHeaders(substitute, message::setHeader);
        HttpServerResponse response = InboundMethod.response(message.getExchange());
        Context context = Vertx.currentContext();
        if (head) {
            // the server would send a body even for HEAD (RFC 9110 §9.3.2): send its length only
            message.setHeader("Content-Length", answer.length());
            message.setBody(null);
        } else if (answer.length() <= AnswerStream.ONE_WRITE_BYTES || response == null || context == null) {
            message.setBody(answer.body());
        } else {
            stream(message, answer, response, context, substitute);
        }
    }

    /**
     * A large answer is written here, piece by piece, and this worker thread waits for the last piece (the server
     * then finds the response ended and writes nothing more); an answer the client did not take is logged as such.
     */
    private void stream(Message message, Answer answer, HttpServerResponse response, Context context, boolean substitute) {
        response.setStatusCode(200);
        response.putHeader("Content-Type", answer.contentType());
        answerHeaders(substitute, response::putHeader);
        message.setBody(null);
        try {
            AnswerStream.end(context, response, answer.pieces()).toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException notTaken) {
            LOG.info("answer of {} bytes not delivered whole: {}", answer.length(), notTaken.toString());
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, NOT_DELIVERED);
        }
    }

    /** Rendered JPEG frames served as a fallback in a raw answer are baseline JPEG (PS3.18 §8.7.3.3.2). */
    private static String partContentType(String stored) {
        return stored.equals("image/jpeg") ? "image/jpeg; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE : stored;
    }

    /** multipart/related; type="image/jpeg"; transfer-syntax=...; boundary=... (PS3.18 §8.7.3.5.2). */
    public static String multipartType(String partType, String boundary) {
        String start = MULTIPART_TYPES.get(partType);
        if (start == null) {
            MediaType part = MediaType.parse(partType);
            String syntax = part.parameter("transfer-syntax");
            start = "multipart/related; type=\"" + part.essence() + "\"" + (syntax == null ? "" : "; transfer-syntax=" + syntax);
            if (MULTIPART_TYPES.size() < 256) {
                MULTIPART_TYPES.put(partType, start); // the few part types a store answers with, parsed once
            }
        }
        return start + "; boundary=" + boundary;
    }

    public static String newBoundary() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
