package org.framecache.proxy.render;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.inbound.VirtualLevel;

/**
 * Raw frames of a virtual level: each from its block of stored tiles, decoded into one canvas (white beyond the
 * stored tiles), downsampled by the factor to one tile, written as the level's representation (baseline JPEG or
 * native interleaved RGB).
 */
final class VirtualLevelFrames {
    private final ImageCodecs codecs;
    private final LevelTiles tiles;
    private final RenderPool pool;

    VirtualLevelFrames(ImageCodecs codecs, LevelTiles tiles, RenderPool pool) {
        this.codecs = codecs;
        this.tiles = tiles;
        this.pool = pool;
    }

    /** The request's missing frames of its virtual level, made on the pool. */
    List<FetchedFrame> make(FrameRequest request, FrameRequest stored, PixelFormat format) throws Exception {
        VirtualLevel level = request.getVirtualLevel();
        Representation representation = request.getRepresentation();
        RenderParameters asked = request.getRenderParameters();
        boolean jpeg = representation.mediaType().equals("image/jpeg");
        String partType = representation.mediaType() + "; transfer-syntax=" + representation.transferSyntax();
        List<Callable<FetchedFrame>> tasks = new ArrayList<>();
        for (int frame : request.getMissing()) {
            List<Integer> sources = level.sourceFrames(frame);
            List<CachedFrame> block = new ArrayList<>(sources.size());
            for (int source : sources) {
                block.add(StoredFrameDecoder.storedFrame(stored, source));
            }
            tasks.add(() -> {
                BufferedImage tile = tiles.tile(level, frame, sources, block, format, asked.interpolation());
                byte[] bytes = jpeg ? codecs.encoder("image/jpeg").orElseThrow().encode(tile, asked.quality(), null)
                        : LevelTiles.interleavedRgb(tile);
                return new FetchedFrame(frame, representation, new CachedFrame(partType, bytes));
            });
        }
        return pool.runAll(tasks, RenderMemory.levelTileBytes(level, format));
    }
}
