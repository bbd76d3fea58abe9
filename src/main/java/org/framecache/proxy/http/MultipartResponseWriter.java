package org.framecache.proxy.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.CachedFrame;
import org.framecache.proxy.FrameRequest;
import org.framecache.proxy.ProxyException;
import org.framecache.proxy.TransferSyntaxes;
import org.framecache.proxy.multipart.MediaType;

/**
 * Writes the client's answer from the frames gathered in the request. Frames: multipart/related (PS3.18
 * §8.7.3.4), one part per requested frame in request order, duplicates repeated, each with its Content-Type and a
 * Content-Location naming the frame on the proxy; the body starts with the boundary (no preamble). Rendered: the
 * single image. Bytes are copied once, into the response buffer.
 */
public final class MultipartResponseWriter {
    private static final Map<String, String> MULTIPART_TYPES = new ConcurrentHashMap<>();
    private static final long MAX_RESPONSE_BYTES = Integer.MAX_VALUE - 64;

    /** RFC 7234 §5.5 warn-code 214: this answer carries the store's rendered JPEG in place of stored bytes. */
    static final String RENDERED_FALLBACK = "214 dicomweb-frame-cache \"Transformation Applied: rendered fallback\"";

    private final String cacheControl;

    public MultipartResponseWriter(String cacheControl) {
        this.cacheControl = cacheControl;
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

        /** The body in one buffer (what the route's message carries): the frames copied once, into it. */
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
        FrameRequest request = UpstreamRequest.frameRequest(exchange);
        respond(exchange.getMessage(), frames(request));
        if (request.servedRenderedFallback()) {
            // a substitute for this answer only: no browser or shared cache keeps it under the stored-bytes URL
            exchange.getMessage().setHeader("Warning", RENDERED_FALLBACK);
            exchange.getMessage().setHeader("Cache-Control", "no-store");
        }
    }

    public Answer frames(FrameRequest request) {
        int[] frames = request.getFrames();
        String[] types = new String[frames.length];
        String[] locations = new String[frames.length];
        ByteBuffer[] bodies = new ByteBuffer[frames.length];
        String location = request.getPublicBaseUrl() + request.instancePath() + "/frames/";
        for (int i = 0; i < frames.length; i++) {
            CachedFrame frame = request.get(frames[i]);
            types[i] = partContentType(frame.contentType());
            locations[i] = location + frames[i];
            bodies[i] = frame.buffer();
        }
        String boundary = newBoundary();
        return new Answer(multipartType(types[0], boundary), pieces(boundary, types, locations, bodies));
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
        return new Answer("", pieces(boundary, types, locations, buffers)).body();
    }

    /**
     * The pieces of a multipart/related body: for each part its head (the CRLF ending the previous part, boundary,
     * Content-Type, Content-Location, Content-Length) then its body; the close delimiter last. Bodies are not copied.
     */
    private static ByteBuffer[] pieces(String boundary, String[] types, String[] locations, ByteBuffer[] bodies) {
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
        if (size + pieces[pieces.length - 1].remaining() > MAX_RESPONSE_BYTES) {
            throw new ProxyException(413, "the answer would exceed " + MAX_RESPONSE_BYTES / (1024 * 1024)
                    + " MiB: ask for fewer frames at a time");
        }
        return pieces;
    }

    public void rendered(Exchange exchange) {
        respond(exchange.getMessage(), rendered(UpstreamRequest.frameRequest(exchange)));
    }

    /** The single image of a rendered request, as found (no copy). */
    public Answer rendered(FrameRequest request) {
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

    private void respond(Message message, Answer answer) {
        boolean head = InboundMethod.isHead(message.getExchange());
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
        headers(message::setHeader);
        if (head) {
            // the server would send a body even for HEAD (RFC 9110 §9.3.2): send its length only
            message.setHeader("Content-Length", answer.length());
            message.setBody(null);
        } else {
            message.setBody(answer.body());
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
