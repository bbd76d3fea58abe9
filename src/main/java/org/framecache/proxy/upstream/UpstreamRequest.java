package org.framecache.proxy.upstream;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.Representation;

/**
 * Turns the message into exactly the request the store should see: every inbound header is dropped (no
 * CamelHttp* steering, no client hop-by-hop headers), then only GET, the path, one Accept value and the
 * forwarded credentials are set.
 */
public final class UpstreamRequest {
    public static final String FRAME_PROPERTY = "frame";

    /** All missing frames of the request in one call, asking for the chosen representation. */
    public void frames(Exchange exchange) {
        FrameRequest request = frameRequest(exchange);
        String list = Arrays.stream(request.getMissing()).mapToObj(Integer::toString).collect(Collectors.joining(","));
        prepare(exchange, request, request.instancePath() + "/frames/" + list,
                request.getRepresentation().upstreamAccept(), "");
    }

    /** The instance's metadata, asked with the caller's credentials (access check, NumberOfFrames). */
    public void metadata(Exchange exchange) {
        FrameRequest request = frameRequest(exchange);
        prepare(exchange, request, request.instancePath() + "/metadata", "application/dicom+json", "");
    }

    /** The whole instance as stored (PS3.18 §10.4.1.1.1), for prefetching every frame at once. */
    public void wholeInstance(Exchange exchange) {
        FrameRequest request = frameRequest(exchange);
        prepare(exchange, request, request.instancePath(),
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*", "");
    }

    /** One rendered frame; the frame number is the message body (one split item). */
    public void renderedFrame(Exchange exchange) {
        FrameRequest request = frameRequest(exchange);
        int frame = exchange.getIn().getBody(Integer.class);
        Representation rendered = request.getRepresentation().rendered()
                ? request.getRepresentation() : request.getFallback();
        exchange.setProperty(FRAME_PROPERTY, frame);
        // the store is asked only for what PS3.18 names (quality, viewport); the cache key keeps the whole query
        String query = request.getRenderParameters() == null ? "" : RenderQuery.forStore(request.getRenderParameters());
        prepare(exchange, request, request.instancePath() + "/frames/" + frame + "/rendered",
                rendered.mediaType(), query);
    }

    /**
     * Bulk data of the request's instance (e.g. its ICC profile) at the store path in exchange property
     * {@code bulkDataPath}, checked to lie under the instance before (PS3.18 §8.6.1.2).
     */
    public void bulkData(Exchange exchange) {
        FrameRequest request = frameRequest(exchange);
        String path = exchange.getProperty("bulkDataPath", String.class);
        prepare(exchange, request, path, "multipart/related; type=\"application/octet-stream\"", "");
    }

    /** A search for one study with no credentials at all: does the store authenticate? (auth.per-caller=false) */
    public void anonymousSearch(Exchange exchange) {
        Message message = exchange.getIn();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_PATH, "/studies");
        message.setHeader(Exchange.HTTP_QUERY, "limit=1");
        message.setHeader("Accept", "application/dicom+json");
    }

    private static void prepare(Exchange exchange, FrameRequest request, String path, String accept, String query) {
        // the store's answers are read once, as they arrive, by the proxy's own readers: Camel must not copy a body
        // stream into memory first (it does so before each step for a body left as a stream: a whole instance, or
        // every frame of a long list)
        exchange.getExchangeExtension().setStreamCacheDisabled(true);
        Message message = exchange.getIn();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_PATH, path);
        if (!query.isEmpty()) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        message.setHeader("Accept", accept);
        request.getForwardHeaders().forEach(message::setHeader);
    }

    static FrameRequest frameRequest(Exchange exchange) {
        return exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
    }
}
