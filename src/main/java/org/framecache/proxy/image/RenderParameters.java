package org.framecache.proxy.image;

/**
 * What a rendered request asks to be done to a decoded frame before it is encoded: the query parameters of PS3.18
 * §8.3.5.1 and of the reference proxy, parsed and checked (each in its range) by the request parser.
 *
 * @param quality         1..100 (default 95)
 * @param downsample      1 or more: output is the frame scaled by 1/downsample (a virtual pyramid level)
 * @param interpolation   how downsampling resamples
 * @param viewport        PS3.18 §8.3.5.1.3, or null for the whole frame
 * @param iccProfile      colour transform to apply (from the instance's own ICC profile)
 * @param embedIccProfile whether the output carries the ICC profile of its pixels
 */
public record RenderParameters(int quality, int downsample, Interpolation interpolation, Viewport viewport,
        IccProfile iccProfile, boolean embedIccProfile) {

    public enum Interpolation { AREA, CUBIC, LANCZOS4, LINEAR, NEAREST }

    public enum IccProfile { NO, YES, SRGB, ADOBERGB, DISPLAYP3 }

    /**
     * PS3.18 §8.3.5.1.3: output size vw x vh; optional source region sx,sy,sw,sh (negative sw/sh flip); the region is
     * scaled to fit the output keeping its aspect ratio.
     */
    public record Viewport(int vw, int vh, boolean hasRegion, int sx, int sy, int sw, int sh) {
    }
}
