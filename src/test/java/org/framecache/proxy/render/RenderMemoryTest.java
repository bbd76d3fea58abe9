package org.framecache.proxy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.inbound.VirtualLevel;
import org.junit.jupiter.api.Test;

/** What a render task asks of the render memory budget, by what it decodes and makes. */
class RenderMemoryTest {
    private static final long SLACK = 256 * 1024;
    private static final PixelFormat TILE = new PixelFormat(256, 256, 3, 8, 8, "RGB", 0, false);

    @Test
    void aPlainRenderingHoldsTheDecodedFrameAndTheEncodersOutput() {
        long pixels = 256 * 256;
        RenderParameters plain = new RenderParameters(90, 1, Interpolation.AREA, null, IccProfile.NO, false);
        assertEquals(pixels * 8 + pixels * 4 + SLACK, RenderMemory.renderBytes(pixels, plain));
        RenderParameters icc = new RenderParameters(90, 1, Interpolation.AREA, null, IccProfile.SRGB, false);
        assertEquals(pixels * 8 + pixels * 4 + pixels * 4 + SLACK, RenderMemory.renderBytes(pixels, icc),
                "a colour transform makes one more image");
    }

    @Test
    void downsamplingAndAViewportMakeImagesOfTheirOutputSize() {
        long pixels = 2048 * 2048;
        RenderParameters half = new RenderParameters(90, 2, Interpolation.AREA, null, IccProfile.NO, false);
        long out = pixels / 4;
        assertEquals(pixels * 8 + out * 4 + out * 4 + SLACK, RenderMemory.renderBytes(pixels, half));
        RenderParameters viewport = new RenderParameters(90, 1, Interpolation.AREA,
                new RenderParameters.Viewport(100, 50, false, 0, 0, 0, 0), IccProfile.NO, false);
        assertEquals(pixels * 8 + 5000 * 4 + 5000 * 4 + SLACK, RenderMemory.renderBytes(pixels, viewport));
    }

    @Test
    void aFrameOfUnknownSizeCountsAsOneOf1024By1024() {
        assertEquals(1024L * 1024 * 8, RenderMemory.transcodeBytes(null));
        assertEquals(1024L * 1024, RenderMemory.pixels(null));
        assertEquals(256L * 256 * 8 + SLACK, RenderMemory.transcodeBytes(TILE));
    }

    @Test
    void aLevelTileHoldsItsCanvasTwiceAndOneStoredTile() {
        VirtualLevel level = new VirtualLevel(4, 256, 256, 10_000, 8_000);
        long canvas = 1024L * 1024;
        assertEquals(canvas * 4 * 2 + 256L * 256 * 8 + SLACK, RenderMemory.levelTileBytes(level, TILE));
    }
}
