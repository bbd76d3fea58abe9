package org.framecache.proxy.inbound;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.http.QueryString;
import org.framecache.proxy.image.RenderParameters;

/**
 * Reads and checks an inbound WADO-RS frame request before anything else happens: the UIDs and frame list from
 * the path, the representation from Accept, the credentials to forward. Bad input is a 400 with a one-line reason.
 * The path is read from {@code CamelHttpPath}, not from path-parameter headers, which a client could shadow with
 * headers of the same name.
 */
public final class FrameRequestParser {

    private final AcceptNegotiator negotiator;
    private final int maxFramesPerRequest;
    private final List<String> forwardedHeaders;
    private final boolean renderedFallback;
    private final PublicBaseUrl publicBaseUrl;
    private final Cache<String, FramesAccept> negotiatedAccepts = Caffeine.newBuilder().maximumSize(256).build();
    private final Cache<String, String> renderedTypes = Caffeine.newBuilder().maximumSize(256).build();
    /** What a request without Accept gets, once negotiated. */
    private volatile FramesAccept noAccept;
    private static final int MAX_REMEMBERED_ACCEPT_LENGTH = 1024;

    /** An Accept value, negotiated: the representation chosen, all acceptable ones, the rendered fallback (or null). */
    private record FramesAccept(Representation representation, List<Representation> acceptable, Representation fallback) {
    }

    public FrameRequestParser(AcceptNegotiator negotiator, int maxFramesPerRequest, Collection<String> forwardedHeaders,
                              boolean renderedFallback) {
        this(negotiator, maxFramesPerRequest, forwardedHeaders, renderedFallback, new PublicBaseUrl(List.of()));
    }

    public FrameRequestParser(AcceptNegotiator negotiator, int maxFramesPerRequest, Collection<String> forwardedHeaders,
                              boolean renderedFallback, PublicBaseUrl publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
        this.negotiator = negotiator;
        this.maxFramesPerRequest = maxFramesPerRequest;
        this.forwardedHeaders = List.copyOf(forwardedHeaders);
        this.renderedFallback = renderedFallback;
    }

    /** GET .../frames/{frameList}: raw frames as multipart/related. */
    public FrameRequest parseFrames(Exchange exchange) {
        InboundMethod.remember(exchange);
        return parseFrames(InboundRequest.of(exchange.getIn()));
    }

    /** The same, from any view of the request (the route's message, or the server's request for in-process hits). */
    public FrameRequest parseFrames(InboundRequest in) {
        String[] path = instanceSegments(in, false);
        FramesAccept accept = framesAccept(acceptOf(in));
        FrameRequest request = build(in, path, accept.representation(), accept.fallback());
        request.setAcceptable(accept.acceptable());
        if (in.rawQuery() != null && !in.rawQuery().isEmpty()) {
            virtualLevel(request, queryParameters(in));
        }
        return request;
    }

    /** GET .../frames/{frame}/rendered: one rendered image. */
    public FrameRequest parseRendered(Exchange exchange) {
        InboundMethod.remember(exchange);
        return parseRendered(InboundRequest.of(exchange.getIn()));
    }

    /**
     * Raw frames of a virtual pyramid level (the reference proxy's {@code downsample} on frames, with
     * {@code interpolation} and, for JPEG frames made, {@code quality}); other query parameters mean nothing here.
     */
    private static void virtualLevel(FrameRequest request, Map<String, String> query) {
        Map<String, String> operations = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            String key = name.strip().toLowerCase(java.util.Locale.ROOT);
            if (key.equals("downsample") || key.equals("interpolation") || key.equals("quality")) {
                operations.put(key, value);
            }
        });
        if (operations.containsKey("downsample")) {
            RenderParameters parameters = RenderQuery.parse(operations);
            if (parameters.downsample() > 1) {
                request.askVirtualLevel(parameters);
            }
        }
    }

    /**
     * One or more frames rendered (PS3.18 §10.4.1.1.3): the media type from Accept, the operations from the query
     * parameters (400 for an invalid value, before anything else is done).
     */
    public FrameRequest parseRendered(InboundRequest in) {
        String[] path = instanceSegments(in, true);
        Map<String, String> query = queryParameters(in);
        query.remove("accept");
        RenderParameters parameters = RenderQuery.parse(query);
        String type = renderedType(acceptOf(in));
        FrameRequest request = build(in, path, Representation.rendered(type, RenderQuery.canonical(parameters, type)), null);
        request.setRenderParameters(parameters);
        return request;
    }

    /** The rendered media type an Accept value asks for, negotiated once per value (refusals throw, and are not kept). */
    private String renderedType(String accept) {
        if (accept == null) {
            return negotiator.renderedType(null);
        }
        String known = renderedTypes.getIfPresent(accept);
        if (known == null) {
            known = negotiator.renderedType(accept);
            if (accept.length() <= MAX_REMEMBERED_ACCEPT_LENGTH) {
                renderedTypes.put(accept, known);
            }
        }
        return known;
    }

    /**
     * What an Accept value means for frames. Viewers send the same few values with every request, so each is
     * negotiated once (refusals are not kept: they throw before).
     */
    private FramesAccept framesAccept(String accept) {
        FramesAccept known = accept == null ? noAccept : negotiatedAccepts.getIfPresent(accept);
        if (known != null) {
            return known;
        }
        Representation representation = negotiator.forFrames(accept);
        List<Representation> acceptable = List.copyOf(negotiator.acceptableFrames(accept));
        // rendered JPEG is a fallback only for clients that accept baseline JPEG frames
        boolean acceptsJpeg = acceptable.stream().anyMatch(r -> r.isStored() || r.satisfiedBy(TransferSyntaxes.JPEG_BASELINE));
        Representation fallback = renderedFallback && acceptsJpeg ? Representation.rendered("image/jpeg", "") : null;
        FramesAccept negotiated = new FramesAccept(representation, acceptable, fallback);
        if (accept == null) {
            noAccept = negotiated;
        } else if (accept.length() <= MAX_REMEMBERED_ACCEPT_LENGTH) {
            negotiatedAccepts.put(accept, negotiated);
        }
        return negotiated;
    }

    private FrameRequest build(InboundRequest in, String[] path, Representation representation, Representation fallback) {
        Map<String, String> forward = new LinkedHashMap<>();
        for (String name : forwardedHeaders) {
            String value = in.header(name);
            if (value != null) {
                forward.put(name, value);
            }
        }
        String inbound = in.path();
        return new FrameRequest(path[0], path[1], path[2], frames(path[3]), representation, fallback, forward,
                publicBaseUrl.of(in, inbound.substring(0, inbound.lastIndexOf("/studies/"))));
    }

    /** study, series, instance, frame list from ".../studies/S/series/R/instances/I/frames/F[/rendered]". */
    private static String[] instanceSegments(InboundRequest in, boolean rendered) {
        String path = in.path();
        String[] segments = path == null ? new String[0] : path.split("/", -1);
        int end = segments.length - (rendered ? 1 : 0);
        int first = end - 8;
        if (first < 0 || !segments[first].equals("studies") || !segments[first + 2].equals("series")
                || !segments[first + 4].equals("instances") || !segments[first + 6].equals("frames")) {
            throw ProxyException.badRequest("expected .../studies/{study}/series/{series}/instances/{instance}/frames/{frames}");
        }
        String[] values = {segments[first + 1], segments[first + 3], segments[first + 5], segments[first + 7]};
        String[] names = {"study", "series", "instance"};
        for (int i = 0; i < 3; i++) {
            if (!isUid(values[i])) {
                throw ProxyException.badRequest("invalid " + names[i] + " UID: " + abbreviate(values[i]));
            }
        }
        return values;
    }

    /** PS3.5 §9.1: at most 64 characters, components of digits separated by single dots. */
    static boolean isUid(String value) {
        return DicomWebPath.isUid(value);
    }

    private int[] frames(String rawList) {
        // the segment as sent: a comma percent-encoded by the client's URL builder is still a comma once decoded
        String list = rawList.replace("%2C", ",").replace("%2c", ",");
        // parsed by hand: a regular expression with a repeated group recurses once per item
        String[] items = list.split(",", -1);
        if (items.length > maxFramesPerRequest) {
            throw ProxyException.badRequest("at most " + maxFramesPerRequest + " frames per request, got " + items.length);
        }
        int[] frames = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            if (item.isEmpty() || !item.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ProxyException.badRequest("frame list must be frame numbers separated by commas: " + abbreviate(list));
            }
            int zeros = 0;
            while (zeros < item.length() - 1 && item.charAt(zeros) == '0') {
                zeros++;
            }
            String digits = item.substring(zeros);
            long n = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
            if (n < 1) {
                throw ProxyException.badRequest("frame numbers start at 1: " + abbreviate(item));
            }
            if (n > Integer.MAX_VALUE) {
                throw ProxyException.badRequest("frame number too large: " + abbreviate(item));
            }
            frames[i] = (int) n;
        }
        return frames;
    }

    /** The {@code accept} query parameter takes precedence over the header (PS3.18 §8.3.3.1). */
    private static String acceptOf(InboundRequest in) {
        String fromQuery = queryParameters(in).get("accept");
        return fromQuery != null ? fromQuery : in.header("Accept");
    }

    /** The query parameters, decoded; a repeated name's values joined with commas. */
    private static Map<String, String> queryParameters(InboundRequest in) {
        return QueryString.parameters(in.rawQuery());
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
