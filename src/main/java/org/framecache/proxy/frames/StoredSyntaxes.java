package org.framecache.proxy.frames;

import java.time.Duration;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.camel.ExchangeProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;

/**
 * Remembers the transfer syntax each instance is stored in, learned from the store's own answers for the stored
 * bytes (Orthanc's metadata does not carry it). Once known, a client that asks for that syntax by name, or lists
 * it among others, is served the stored bytes: every spelling of the same wish shares one cache entry and one
 * upstream request.
 */
public final class StoredSyntaxes {
    private final Cache<String, String> syntaxes;
    /** Instances probed already: a probe that taught nothing (a syntax not served raw) is not repeated. */
    private final Cache<String, Boolean> probed;

    /** (stored syntax, wanted raw representation) → the proxy can make it from the stored frames. */
    private final BiPredicate<String, Representation> transcodable;

    public StoredSyntaxes(Duration ttl) {
        this(ttl, (stored, wanted) -> false);
    }

    public StoredSyntaxes(Duration ttl, BiPredicate<String, Representation> transcodable) {
        this.transcodable = transcodable;
        this.syntaxes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
        this.probed = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    /**
     * True when the stored syntax is unknown and the client lists several raw syntaxes: which one to ask for
     * depends on how the instance is stored, so one frame is fetched as stored first ({@link #probeFor}).
     */
    public boolean mustProbe(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        if (request.isVirtualLevelAsked()) {
            // a virtual level is made from the stored frames: their syntax decides how
            return syntaxes.getIfPresent(request.instancePath()) == null && probed.getIfPresent(request.instancePath()) == null;
        }
        if (request.getRepresentation().isStored() || syntaxes.getIfPresent(request.instancePath()) != null
                || probed.getIfPresent(request.instancePath()) != null) {
            return false;
        }
        long raw = request.getAcceptable().stream().filter(r -> !r.rendered()).count();
        // one syntax named that the proxy could make from another: whether it must, depends on the stored one too
        boolean mayTranscode = request.getAcceptable().stream().anyMatch(r -> !r.rendered() && mayTranscode(r));
        return (raw >= 2 || mayTranscode) && request.getMissing().length > 0;
    }

    /**
     * The probe: the request's first missing frame, as stored (learned from, and cached, by the raw fetch). Only a
     * probe that found the stored frames unusable is remembered ({@link #markProbed}); one the store failed is not.
     */
    public FrameRequest probeFor(FrameRequest request) {
        return new FrameRequest(request.getStudy(), request.getSeries(), request.getInstance(),
                new int[] {request.getMissing()[0]}, Representation.stored(), null, request.getForwardHeaders(),
                request.getPublicBaseUrl());
    }

    private boolean mayTranscode(Representation wanted) {
        for (String stored : TRANSCODING_SOURCES) {
            if (transcodable.test(stored, wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The stored syntaxes a client's wish could be made from, for {@link #mustProbe}. */
    private static final List<String> TRANSCODING_SOURCES = List.of(TransferSyntaxes.JPEG_BASELINE,
            TransferSyntaxes.JPEG_2000_LOSSLESS, TransferSyntaxes.JPEG_2000, TransferSyntaxes.JPEG_XL_JPEG_RECOMPRESSION,
            TransferSyntaxes.HTJ2K_LOSSLESS, TransferSyntaxes.HTJ2K_LOSSLESS_RPCL, TransferSyntaxes.HTJ2K,
            TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);

    /**
     * Before the cache lookup: switch to the stored bytes when they satisfy an acceptable representation; else to
     * frames the proxy makes from them (client-capability transcoding), the most preferred it can make, under a
     * cache key of their own ("transcoded-from:").
     */
    public void choose(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        String stored = syntaxes.getIfPresent(request.instancePath());
        if (stored == null || request.getRepresentation().isStored() || request.isVirtualLevelAsked()) {
            return;
        }
        for (Representation acceptable : request.getAcceptable()) {
            if (acceptable.satisfiedBy(stored)) {
                request.useStoredBytes();
                return;
            }
        }
        if (request.getRepresentation().producedByProxy()) {
            return;
        }
        for (Representation acceptable : request.getAcceptable()) {
            if (transcodable.test(stored, acceptable)) {
                request.useRepresentation(acceptable.transcodedFrom(stored));
                return;
            }
        }
    }

    /** After a validated stored-bytes answer: its parts name the stored syntax. */
    public void learn(FrameRequest request, List<FetchedFrame> fetched) {
        if (!request.getRepresentation().isStored() || fetched.isEmpty()) {
            return;
        }
        String syntax = MediaType.parse(fetched.get(0).content().contentType()).parameter("transfer-syntax");
        if (syntax != null) {
            syntaxes.put(request.instancePath(), syntax);
        }
    }

    /** Remembers that the instance's stored frames were tried and taught nothing (not tried again for the TTL). */
    public void markProbed(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        probed.put(request.instancePath(), Boolean.TRUE);
    }

    /** True when the instance was probed already (whatever that taught). */
    public boolean probed(FrameRequest request) {
        return probed.getIfPresent(request.instancePath()) != null;
    }

    /** The instance's stored syntax, when known. */
    public String stored(FrameRequest request) {
        return syntaxes.getIfPresent(request.instancePath());
    }

    /** Records the syntax read from the instance itself (whole-instance prefetch). */
    public void remember(FrameRequest request, String syntax) {
        syntaxes.put(request.instancePath(), syntax);
    }
}
