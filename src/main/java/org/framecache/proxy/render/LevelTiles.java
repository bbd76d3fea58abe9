package org.framecache.proxy.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.VirtualLevel;

/** The frames of a virtual level, each made from its block of stored tiles. */
final class LevelTiles {
    private final StoredFrameDecoder decoder;
    private final ImageOperations operations;

    LevelTiles(StoredFrameDecoder decoder, ImageOperations operations) {
        this.decoder = decoder;
        this.operations = operations;
    }

    /**
     * Frame {@code frame} of a virtual level: its block of stored tiles decoded into one canvas (white beyond the
     * stored tiles), scaled down by the level's factor; a level smaller than one tile is one frame of its own size.
     */
    BufferedImage tile(VirtualLevel level, int frame, List<Integer> sources, List<CachedFrame> tiles, PixelFormat format,
                       RenderParameters.Interpolation interpolation) throws Exception {
        int side = level.factor();
        BufferedImage canvas = new BufferedImage(level.tileColumns() * side, level.tileRows() * side,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            for (int i = 0; i < tiles.size(); i++) {
                int[] at = level.offsetInBlock(frame, sources.get(i));
                g.drawImage(decoder.decode(tiles.get(i), format, sources.get(i)), at[0], at[1], null);
            }
        } finally {
            g.dispose();
        }
        BufferedImage tile = operations.apply(canvas, null, new RenderParameters(RenderQuery.DEFAULT_QUALITY, side,
                interpolation, null, RenderParameters.IccProfile.NO, false));
        if (tile.getWidth() != level.frameColumns() || tile.getHeight() != level.frameRows()) {
            BufferedImage cropped = new BufferedImage(level.frameColumns(), level.frameRows(), BufferedImage.TYPE_INT_RGB);
            cropped.createGraphics().drawImage(tile, 0, 0, null);
            tile = cropped;
        }
        return tile;
    }

    /** Native 8-bit RGB pixel data of an image (PlanarConfiguration 0: R, G, B per pixel, row by row). */
    static byte[] interleavedRgb(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[3 * i] = (byte) (pixels[i] >> 16);
            rgb[3 * i + 1] = (byte) (pixels[i] >> 8);
            rgb[3 * i + 2] = (byte) pixels[i];
        }
        return rgb;
    }
}
