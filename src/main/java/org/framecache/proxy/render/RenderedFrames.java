package org.framecache.proxy.render;

import java.util.List;
import java.util.function.BiPredicate;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.access.InstanceImage;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;

/**
 * Rendered frames and client-capability transcoding made by the proxy from the stored frames, as the routes ask for
 * them: decides whether the proxy can make what a request asks for ({@link RendererChoice}, {@link VirtualLevelChoice}),
 * gets the stored frames through the same cache and in-flight claims as the raw path (the stored-frames-for-rendering
 * route, {@link StoredFramesDetour}), and does the CPU work on the {@link RenderPool} ({@link FrameRendering},
 * {@link StoredFrameTranscoder}, {@link VirtualLevelFrames}). What the proxy cannot decode goes to the store's
 * /rendered, when the store can do what was asked.
 */
public final class RenderedFrames {
    /** Exchange property: the request the stored frames were fetched for, and its frames. */
    public static final String STORED_FRAMES = "storedFrames";

    private final RenderPool pool;
    private final StoredSyntaxes syntaxes;
    private final InstanceAccess access;
    private final RendererChoice renderers;
    private final VirtualLevelChoice levels;
    private final FrameRendering rendering;
    private final StoredFrameTranscoder transcoder;
    private final VirtualLevelFrames levelFrames;

    public RenderedFrames(ImageCodecs codecs, ImageOperations operations, RenderPool pool, StoredSyntaxes syntaxes,
                          InstanceAccess access, SourceIccProfiles sourceIccProfiles, boolean storeFallback) {
        this.pool = pool;
        this.syntaxes = syntaxes;
        this.access = access;
        this.levels = new VirtualLevelChoice(codecs, syntaxes, access);
        this.renderers = new RendererChoice(codecs, syntaxes, access, levels, storeFallback);
        StoredFrameDecoder decoder = new StoredFrameDecoder(codecs);
        LevelTiles levelTiles = new LevelTiles(decoder, operations);
        this.rendering = new FrameRendering(codecs, operations, pool, sourceIccProfiles, decoder, levelTiles);
        this.transcoder = new StoredFrameTranscoder(codecs, decoder, pool);
        this.levelFrames = new VirtualLevelFrames(codecs, levelTiles, pool);
    }

    /** True when the instance's stored syntax is not known yet: its stored frames are fetched first (they tell it). */
    public boolean storedSyntaxUnknown(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        return syntaxes.stored(request) == null && !syntaxes.probed(request);
    }

    /**
     * The stored frames are in a syntax not taken here (or the store will not give them): not tried again for this
     * instance while that is remembered.
     */
    public void storedFramesUnusable(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        syntaxes.markProbed(request);
    }

    /**
     * The stored frames could not be had this time (the store errored, its answer was broken): nothing is remembered.
     * The store's own rendering answers when it can do what was asked; else the failure is the answer (502).
     */
    public void storedFramesFailed(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request,
                                   @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        if (!renderers.storeCanRender(request)) {
            throw failure;
        }
    }

    /**
     * Who makes the rendered frames: the proxy, from the stored syntax (the representation becomes "rendered from" it,
     * its own cache key), when it decodes that syntax here and writes the media type; else the store's /rendered when
     * switched on and able to do what was asked; else 406 with the reason.
     */
    public void chooseRenderer(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        renderers.choose(request);
    }

    /**
     * Raw frames in a syntax the store does not hold: (stored syntax, wanted) → the proxy can make them from the stored
     * frames (a lossless transcoder, or decoding and writing baseline JPEG).
     */
    public static BiPredicate<String, Representation> transcodable(ImageCodecs codecs) {
        return StoredFrameTranscoder.transcodable(codecs);
    }

    /**
     * Raw frames of a virtual level (downsample=N on frames of a TILED_FULL instance): its geometry from the metadata,
     * the frame numbers checked against its NumberOfFrames (400), and what its frames are made as: the stored native
     * pixel layout for native instances, else baseline JPEG, as the client's Accept allows (406 otherwise). Cached
     * under their own key (stored syntax, factor, interpolation, output).
     */
    public void chooseVirtualLevel(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        levels.chooseForRawFrames(request);
    }

    /** Before the stored-frames route: it works on a request for the stored bytes of the frames still missing. */
    public void switchToStoredFrames(Exchange exchange) {
        StoredFramesDetour.enter(exchange);
    }

    /**
     * After it, whatever happened: the rendered (or transcoded) request is the exchange's again, with its replica
     * markers and the bytes the stored frames hold counted as its own (given back when it is done).
     */
    public void backToRequest(Exchange exchange) {
        StoredFramesDetour.leave(exchange, STORED_FRAMES);
    }

    /** Renders the request's missing frames from their stored frames, on the pool; the body becomes them. */
    public List<FetchedFrame> render(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request,
                                     @ExchangeProperty(STORED_FRAMES) FrameRequest stored) throws Exception {
        return rendering.render(request, stored, access.image(request).format());
    }

    /** Transcodes the request's missing frames from their stored frames, on the pool; the body becomes them. */
    public List<FetchedFrame> transcode(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request,
                                        @ExchangeProperty(STORED_FRAMES) FrameRequest stored) throws Exception {
        if (request.getVirtualLevel() != null) {
            return levelFrames.make(request, stored, access.image(request).format());
        }
        InstanceImage image = access.image(request);
        return transcoder.transcode(request, stored, image == null ? null : image.format());
    }

    public RenderPool getPool() {
        return pool;
    }
}
