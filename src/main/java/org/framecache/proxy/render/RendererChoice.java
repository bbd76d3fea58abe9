package org.framecache.proxy.render;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.access.InstanceImage;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.Representation;

/**
 * Who makes a request's rendered frames: the proxy when it decodes the stored syntax and writes the media type, else
 * the store's /rendered when switched on and able to do what was asked, else nobody (406).
 */
final class RendererChoice {
    private final ImageCodecs codecs;
    private final StoredSyntaxes syntaxes;
    private final InstanceAccess access;
    private final VirtualLevelChoice levels;
    private final boolean storeFallback;
    /** Stored syntax → why it is not decoded here (empty: it is), and media type → an encoder works here. */
    private final Map<String, Optional<String>> decoderReasons = new ConcurrentHashMap<>();
    private final Map<String, Boolean> encoders = new ConcurrentHashMap<>();

    RendererChoice(ImageCodecs codecs, StoredSyntaxes syntaxes, InstanceAccess access, VirtualLevelChoice levels,
                   boolean storeFallback) {
        this.codecs = codecs;
        this.syntaxes = syntaxes;
        this.access = access;
        this.levels = levels;
        this.storeFallback = storeFallback;
    }

    /** True when the store's /rendered is switched on and can make what the request asks (JPEG or PNG, no operation it lacks). */
    boolean storeCanRender(FrameRequest request) {
        String mediaType = request.getRepresentation().mediaType();
        return storeFallback && RenderQuery.storeCannotDo(request.getRenderParameters()) == null
                && (mediaType.equals("image/jpeg") || mediaType.equals("image/png"));
    }

    /**
     * Who makes the rendered frames: the proxy, from the stored syntax (the representation becomes "rendered from" it,
     * its own cache key), when it decodes that syntax here and writes the media type; else the store's /rendered when
     * switched on and able to do what was asked; else 406 with the reason.
     */
    void choose(FrameRequest request) {
        Representation asked = request.getRepresentation();
        String stored = syntaxes.stored(request);
        if (asked.producedByProxy()) {
            return;
        }
        String why = whyProxyCannotRender(request, stored);
        if (why == null) {
            asked = sameWishOneKey(request, asked);
            request.useRepresentation(asked.renderedFrom(stored));
            levels.chooseForRenderedFrames(request);
            return;
        }
        if (!storeCanRender(request)) {
            String cannot = RenderQuery.storeCannotDo(request.getRenderParameters());
            throw ProxyException.notAcceptable("cannot render these frames here: " + why
                    + (cannot != null ? " (and the store's rendering cannot do " + cannot + ")" : ""));
        }
        // the store's own rendering, under its own key ("rendered:"), never mistaken for the proxy's
    }

    /** A viewport region that is the whole frame is asked as the viewport without one: one wish, one cache key. */
    private Representation sameWishOneKey(FrameRequest request, Representation asked) {
        PixelFormat format = access.image(request).format();
        RenderParameters p = request.getRenderParameters();
        RenderParameters same = RenderQuery.wholeFrameAsNoRegion(p, format.columns(), format.rows());
        if (same == p) {
            return asked;
        }
        request.setRenderParameters(same);
        return Representation.rendered(asked.mediaType(), RenderQuery.canonical(same, asked.mediaType()));
    }

    private String whyProxyCannotRender(FrameRequest request, String stored) {
        if (stored == null) {
            return "the instance's stored transfer syntax is not known";
        }
        // what works here is found once (the hot path asks for every warm rendered tile)
        Optional<String> noDecoder = decoderReasons.computeIfAbsent(stored, codecs::whyNoDecoder);
        if (noDecoder.isPresent()) {
            return noDecoder.get();
        }
        if (!encoders.computeIfAbsent(request.getRepresentation().mediaType(), t -> codecs.encoder(t).isPresent())) {
            return "no encoder for " + request.getRepresentation().mediaType() + " works here";
        }
        InstanceImage image = access.image(request);
        if (image == null || image.format() == null) {
            return "the instance's metadata does not describe its pixels";
        }
        return null;
    }
}
