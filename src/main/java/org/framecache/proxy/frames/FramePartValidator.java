package org.framecache.proxy.frames;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.outbound.MultipartResponseWriter;
import org.framecache.proxy.upstream.RawRetrievalException;
import org.framecache.proxy.upstream.UnusableStoredSyntaxException;
import org.framecache.proxy.upstream.UpstreamResponse;

/**
 * Decides whether the parts of a raw frames answer may be served and cached: each part must be non-empty, carry a
 * supported stored transfer syntax under its proper media type (and the one asked for, when one was), and the
 * number of parts must equal the number of frames asked for. Any failure rejects the whole answer, so nothing of
 * it is cached.
 */
public final class FramePartValidator {
    private final Set<String> supportedSyntaxes;
    private final long maxAnswerBytes;
    private final InFlightBytes inFlightBytes;

    public FramePartValidator(Collection<String> supportedSyntaxes, long maxAnswerBytes) {
        this(supportedSyntaxes, maxAnswerBytes, new InFlightBytes(Long.MAX_VALUE));
    }

    public FramePartValidator(Collection<String> supportedSyntaxes, long maxAnswerBytes, InFlightBytes inFlightBytes) {
        this.supportedSyntaxes = Set.copyOf(supportedSyntaxes);
        this.maxAnswerBytes = maxAnswerBytes;
        this.inFlightBytes = inFlightBytes;
    }

    /** One split step: the body is a {@link BodyPart}; the result is the frame as it will be served. */
    public CachedFrame validate(Exchange exchange) {
        BodyPart part = exchange.getIn().getBody(BodyPart.class);
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class) + 1;
        if (part.content().length == 0) {
            throw new RawRetrievalException("part " + index + " of the store's answer is empty");
        }
        MediaType type = partType(part, exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class), index);
        String syntax = type.parameter("transfer-syntax");
        if (syntax == null) {
            throw new RawRetrievalException("part " + index + " names no transfer syntax: " + type);
        }
        String essence = TransferSyntaxes.canonicalMediaType(type.essence());
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        // parts are counted as they are read: the split stops at the first part over the budget
        if (request.countFetched(part.content().length) > maxAnswerBytes) {
            UpstreamResponse.abandon(exchange);
            throw MultipartResponseWriter.tooLarge(maxAnswerBytes);
        }
        try {
            inFlightBytes.hold(request, part.content().length);
        } catch (ProxyException busy) {
            UpstreamResponse.abandon(exchange);
            throw busy;
        }
        Representation asked = request.getRepresentation();
        // stored bytes must be in a syntax we serve; a syntax the client named itself is served as the store made it
        boolean named = !asked.isStored() && syntax.equals(asked.transferSyntax());
        if (!(supportedSyntaxes.contains(syntax) || named) || !essence.equals(TransferSyntaxes.mediaTypeOf(syntax))) {
            throw new UnusableStoredSyntaxException("part " + index + " is " + type + ", not a supported stored syntax");
        }
        if (!asked.isStored() && (!essence.equals(asked.mediaType())
                || !(asked.transferSyntax().equals(Representation.ANY_SYNTAX) || asked.transferSyntax().equals(syntax)))) {
            throw new RawRetrievalException("part " + index + " is " + type + " but " + asked.upstreamAccept() + " was asked for");
        }
        return new CachedFrame(essence + "; transfer-syntax=" + syntax, part.content());
    }

    /** After the split: as many validated parts as frames asked for, numbered in request order. */
    public List<FetchedFrame> assign(FrameRequest request, Object parts) {
        List<?> validated = parts instanceof List<?> list ? list : List.of();
        int[] missing = request.getMissing();
        if (validated.size() != missing.length) {
            throw new RawRetrievalException("store answered " + validated.size() + " parts for " + missing.length + " frames");
        }
        List<FetchedFrame> fetched = new ArrayList<>(missing.length);
        for (int i = 0; i < missing.length; i++) {
            fetched.add(new FetchedFrame(missing[i], request.getRepresentation(), (CachedFrame) validated.get(i)));
        }
        return fetched;
    }

    /** The part's own Content-Type; its syntax may instead be given once in the top-level type parameter. */
    private static MediaType partType(BodyPart part, String topLevel, int index) {
        try {
            MediaType type = MediaType.parse(part.contentType() == null ? "application/octet-stream" : part.contentType());
            if (type.parameter("transfer-syntax") == null && topLevel != null) {
                MediaType top = MediaType.parse(topLevel);
                String syntax = top.parameter("transfer-syntax");
                String nested = top.parameter("type");
                if (syntax == null && nested != null && nested.contains(";")) {
                    syntax = MediaType.parse(nested).parameter("transfer-syntax");
                }
                if (syntax != null) {
                    type = type.withParameter("transfer-syntax", syntax);
                }
            }
            return type;
        } catch (IllegalArgumentException e) {
            throw new RawRetrievalException("part " + index + " has a malformed content type: " + e.getMessage());
        }
    }
}
