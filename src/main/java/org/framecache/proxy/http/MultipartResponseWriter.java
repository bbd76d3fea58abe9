package org.framecache.proxy.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
    private static final byte[] CRLF = {'\r', '\n'};
    private static final long MAX_RESPONSE_BYTES = Integer.MAX_VALUE - 64;

    private final String cacheControl;

    public MultipartResponseWriter(String cacheControl) {
        this.cacheControl = cacheControl;
    }

    /** The answer of a frames request whose frames are all found: its content type and body. */
    public record Answer(String contentType, ByteBuffer body) {
    }

    public void frames(Exchange exchange) {
        respond(exchange.getMessage(), frames(UpstreamRequest.frameRequest(exchange)));
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
        return new Answer(multipartType(types[0], boundary), multipart(boundary, types, locations, bodies));
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
        return multipart(boundary, types, locations, buffers);
    }

    private static ByteBuffer multipart(String boundary, String[] types, String[] locations, ByteBuffer[] bodies) {
        byte[][] heads = new byte[bodies.length][];
        long size = 0;
        for (int i = 0; i < bodies.length; i++) {
            heads[i] = ("--" + boundary + "\r\nContent-Type: " + types[i]
                    + (locations[i] == null ? "" : "\r\nContent-Location: " + locations[i])
                    + "\r\nContent-Length: " + bodies[i].remaining() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            size += heads[i].length + bodies[i].remaining() + CRLF.length;
        }
        byte[] close = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        if (size + close.length > MAX_RESPONSE_BYTES) {
            throw new ProxyException(413, "the answer would exceed " + MAX_RESPONSE_BYTES / (1024 * 1024)
                    + " MiB: ask for fewer frames at a time");
        }
        ByteBuffer body = ByteBuffer.allocate((int) size + close.length);
        for (int i = 0; i < bodies.length; i++) {
            body.put(heads[i]).put(bodies[i].duplicate()).put(CRLF);
        }
        return body.put(close).flip();
    }

    public void rendered(Exchange exchange) {
        respond(exchange.getMessage(), rendered(UpstreamRequest.frameRequest(exchange)));
    }

    /** The single image of a rendered request, as found (no copy). */
    public Answer rendered(FrameRequest request) {
        CachedFrame frame = request.get(request.getFrames()[0]);
        return new Answer(frame.contentType(), frame.buffer());
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
            message.setHeader("Content-Length", answer.body().remaining());
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
        MediaType part = MediaType.parse(partType);
        String syntax = part.parameter("transfer-syntax");
        return "multipart/related; type=\"" + part.essence() + "\""
                + (syntax == null ? "" : "; transfer-syntax=" + syntax) + "; boundary=" + boundary;
    }

    public static String newBoundary() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
