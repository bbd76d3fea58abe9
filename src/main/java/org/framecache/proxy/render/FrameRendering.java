package org.framecache.proxy.render;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageEncoder;
import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.image.StoredJpegColours;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.inbound.VirtualLevel;

/**
 * Rendered frames made by the proxy from the stored frames (or from a virtual level's tiles): decoded, the render
 * operations applied (downsample, viewport, ICC), encoded; a stored baseline JPEG that nothing would change is
 * served as it is.
 */
final class FrameRendering {
    private final ImageCodecs codecs;
    private final ImageOperations operations;
    private final RenderPool pool;
    private final SourceIccProfiles sourceIccProfiles;
    private final StoredFrameDecoder decoder;
    private final LevelTiles levelTiles;

    FrameRendering(ImageCodecs codecs, ImageOperations operations, RenderPool pool, SourceIccProfiles sourceIccProfiles,
                   StoredFrameDecoder decoder, LevelTiles levelTiles) {
        this.codecs = codecs;
        this.operations = operations;
        this.pool = pool;
        this.sourceIccProfiles = sourceIccProfiles;
        this.decoder = decoder;
        this.levelTiles = levelTiles;
    }

    /** The request's missing frames rendered from their stored frames, on the pool. */
    List<FetchedFrame> render(FrameRequest request, FrameRequest stored, PixelFormat format) throws Exception {
        Representation representation = request.getRepresentation();
        RenderParameters parameters = request.getRenderParameters();
        byte[] sourceProfile = SourceIccProfiles.needed(parameters) ? sourceIccProfiles.sourceProfile(request) : null;
        ImageEncoder encoder = codecs.encoder(representation.mediaType()).orElseThrow(() ->
                ProxyException.notAcceptable("no encoder for " + representation.mediaType() + " works here"));
        byte[] outputProfile;
        try {
            outputProfile = parameters.embedIccProfile() ? operations.outputIccProfile(sourceProfile, parameters) : null;
        } catch (UncheckedIOException e) {
            throw new ProxyException(502, "the instance's ICC profile cannot be used: " + e.getMessage());
        }
        if (storedJpegAsItIs(request) && readAlikeAsStored(stored, request.getMissing(), format)) {
            // nothing to do to a baseline JPEG asked as JPEG: the stored image itself (no decode, no second loss)
            List<FetchedFrame> frames = new ArrayList<>();
            for (int frame : request.getMissing()) {
                frames.add(new FetchedFrame(frame, representation,
                        new CachedFrame(representation.mediaType(), StoredFrameDecoder.storedFrame(stored, frame).bytes())));
            }
            return frames;
        }
        VirtualLevel level = request.getVirtualLevel();
        // of a virtual level, the level's tile is the frame to render (already scaled down)
        RenderParameters rest = level == null ? parameters : new RenderParameters(parameters.quality(), 1,
                parameters.interpolation(), parameters.viewport(), parameters.iccProfile(), parameters.embedIccProfile());
        List<Callable<FetchedFrame>> tasks = new ArrayList<>();
        for (int frame : request.getMissing()) {
            List<Integer> sources = level == null ? List.of(frame) : level.sourceFrames(frame);
            List<CachedFrame> tiles = new ArrayList<>(sources.size());
            for (int source : sources) {
                tiles.add(StoredFrameDecoder.storedFrame(stored, source));
            }
            tasks.add(() -> {
                BufferedImage decoded = level == null ? decoder.decode(tiles.get(0), format, frame)
                        : levelTiles.tile(level, frame, sources, tiles, format, parameters.interpolation());
                BufferedImage done;
                try {
                    done = operations.apply(decoded, sourceProfile, rest);
                } catch (IllegalArgumentException e) {
                    throw ProxyException.badRequest(e.getMessage()); // e.g. a viewport region outside the frame
                } catch (UncheckedIOException e) {
                    throw new ProxyException(502, "the instance's ICC profile cannot be used: " + e.getMessage());
                }
                byte[] image = encoder.encode(done, parameters.quality(), outputProfile);
                return new FetchedFrame(frame, representation, new CachedFrame(representation.mediaType(), image));
            });
        }
        return pool.runAll(tasks, level == null ? RenderMemory.renderBytes(RenderMemory.pixels(format), parameters)
                : RenderMemory.levelTileBytes(level, format)
                        + RenderMemory.renderBytes((long) level.frameRows() * level.frameColumns(), rest));
    }

    /**
     * True when the rendering changes nothing in a baseline JPEG: JPEG out at the default quality, no downsampling, no
     * viewport, no colour transform (iccprofile=no: nothing embedded either).
     */
    private static boolean storedJpegAsItIs(FrameRequest request) {
        RenderParameters p = request.getRenderParameters();
        return TransferSyntaxes.JPEG_BASELINE.equals(request.getRepresentation().source())
                && "image/jpeg".equals(request.getRepresentation().mediaType()) && p.quality() == RenderQuery.DEFAULT_QUALITY
                && p.downsample() == 1 && p.viewport() == null && p.iccProfile() == RenderParameters.IccProfile.NO;
    }

    /**
     * True when every stored JPEG shows, to a viewer reading it as an image file, the colours the proxy's decoding
     * gives (not so for RGB-coded frames whose markers leave the colour space to the Photometric Interpretation).
     */
    private static boolean readAlikeAsStored(FrameRequest stored, int[] frames, PixelFormat format) {
        String photometric = format == null ? null : format.photometric();
        for (int frame : frames) {
            if (!StoredJpegColours.sameForEveryReader(StoredFrameDecoder.storedFrame(stored, frame).bytes(), photometric)) {
                return false;
            }
        }
        return true;
    }
}
