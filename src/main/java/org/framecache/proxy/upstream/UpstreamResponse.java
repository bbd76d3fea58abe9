package org.framecache.proxy.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.framecache.proxy.http.Failures;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.StoppableBody;

/**
 * Reads the store's status: answers the client must see as they are (bad frame number, refused credentials,
 * unknown instance) become {@link UpstreamStatusException}; anything else that is not a usable answer becomes
 * {@link RawRetrievalException} (raw frames, which may fall back to rendered) or a 502 (rendered).
 */
public final class UpstreamResponse {
    /**
     * The exchange property holding the store's frames answer as it arrives. Not the message body: a failure would
     * have the error policy copy whatever is left of a body stream into memory (Camel's stream caching).
     */
    public static final String BODY_PROPERTY = "upstreamBody";
    private static final Pattern JSON_MESSAGE =
            Pattern.compile("\"(?:Message|message|Details)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,300})\"");

    /** After the raw frames call: a 200 multipart/related body, or an exception. */
    public void checkFrames(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = status(message);
        if (status == 200) {
            String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
            if (contentType == null || !isMultipartRelated(contentType)) {
                throw new RawRetrievalException("store answered " + (contentType == null ? "no content type"
                        : contentType) + " instead of multipart/related");
            }
            exchange.setProperty(BODY_PROPERTY, new UpstreamBody(message.getBody(InputStream.class)));
            message.setBody(null);
            return;
        }
        FrameRequest request = UpstreamRequest.frameRequest(exchange);
        Representation asked = request.getRepresentation();
        // frame numbers were checked against NumberOfFrames: a refusal of a syntax the client named is about
        // the syntax (Orthanc answers 400, others 406/415/500) — fall back if the client can use it, else 406
        if (!asked.isStored() && (status == 400 || status == 406 || status == 415 || status == 500)) {
            if (request.getFallback() != null) {
                throw new RawRetrievalException("store could not provide " + asked.upstreamAccept() + " (" + status
                        + reason(message) + ")");
            }
            throw ProxyException.notAcceptable("the store could not provide " + asked.upstreamAccept()
                    + " for this instance (it answered " + status + reason(message) + ")");
        }
        if (asked.isStored() && (status == 406 || status == 415)) {
            // the store will not give this instance's stored bytes: that lasts, unlike an error (5xx)
            throw new UnusableStoredSyntaxException("store refused the stored bytes (" + status + reason(message) + ")");
        }
        throwIfClientMustSee(status, message);
        throw new RawRetrievalException("store answered " + status + " for raw frames" + reason(message));
    }

    /**
     * Drops the store's connection instead of reading the rest of an answer no longer wanted (the HTTP client would
     * otherwise read it to its end).
     */
    public static void abandon(Exchange exchange) {
        if (exchange.getProperty(BODY_PROPERTY) instanceof UpstreamBody body) {
            body.stop();
        }
    }

    /** The store's answer, which the proxy may stop reading: then the connection is dropped, not read to its end. */
    private static final class UpstreamBody extends FilterInputStream implements StoppableBody {
        private volatile boolean stopped;

        UpstreamBody(InputStream in) {
            super(in);
        }

        void stop() {
            stopped = true;
            if (in instanceof EofSensorInputStream http) {
                try {
                    http.abort();
                } catch (IOException ignored) {
                    // the connection is gone either way
                }
            }
        }

        @Override
        public boolean isStopped() {
            return stopped;
        }
    }

    /** After one rendered call: the validated image, or an exception. */
    public FetchedFrame checkRendered(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = status(message);
        if (status != 200) {
            throwIfClientMustSee(status, message);
            throw new ProxyException(502, "store answered " + status + " for a rendered frame" + reason(message));
        }
        FrameRequest request = UpstreamRequest.frameRequest(exchange);
        Representation representation = request.getRepresentation().rendered()
                ? request.getRepresentation() : request.getFallback();
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String essence = contentType == null ? null : MediaType.parse(contentType).essence();
        if (!representation.mediaType().equals(essence)) {
            throw new ProxyException(502, "store answered " + contentType + " for a rendered "
                    + representation.mediaType() + " frame");
        }
        byte[] bytes = message.getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            throw new ProxyException(502, "store answered an empty rendered frame");
        }
        int frame = exchange.getProperty(UpstreamRequest.FRAME_PROPERTY, Integer.class);
        return new FetchedFrame(frame, representation, new CachedFrame(essence, bytes));
    }

    private static void throwIfClientMustSee(int status, Message message) {
        switch (status) {
            case 400, 404, 410 -> throw new UpstreamStatusException(status, "store answered " + status + reason(message), null);
            case 401, 403 -> throw new UpstreamStatusException(status, "store refused access (" + status + ")",
                    message.getHeader("WWW-Authenticate", String.class));
            default -> {
            }
        }
    }

    private static int status(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static boolean isMultipartRelated(String contentType) {
        try {
            return MediaType.parse(contentType).essence().equals("multipart/related");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** ": <the store's own one-line reason>" when its body has one (Orthanc: JSON "Message"). */
    private static String reason(Message message) {
        String body;
        try {
            body = message.getBody(String.class);
        } catch (RuntimeException e) {
            return "";
        }
        if (body == null || body.isBlank()) {
            return "";
        }
        Matcher m = JSON_MESSAGE.matcher(body);
        String text = m.find() ? m.group(1).replaceAll("\\\\(.)", "$1") : body.strip().lines().findFirst().orElse("");
        return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text);
    }

    /**
     * True when the exchange failed because the store did not answer in time (the call's deadline, a read timeout,
     * no pooled connection in time, or a wait of its own that gave up with 504): those waiting on it answer 504 too.
     */
    public static boolean failedByTimeout(Exchange exchange) {
        return Failures.of(exchange).anyMatch(t -> t instanceof java.net.SocketTimeoutException
                || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException
                || t instanceof ProxyException p && p.getStatus() == 504);
    }
}
