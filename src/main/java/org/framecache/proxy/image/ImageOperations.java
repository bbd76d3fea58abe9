package org.framecache.proxy.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a rendered request asks to be done to a decoded frame, in this order: downsample (a virtual pyramid level),
 * viewport (PS3.18 §8.3.5.1.3), ICC transform (PS3.18 §8.3.5.1.5, done last, on the fewest pixels). Thread-safe and
 * stateless apart from a small memory of parsed ICC profiles; the work runs on the caller's thread.
 */
public final class ImageOperations {
    private final IccTransform icc = new IccTransform();

    public ImageOperations() {
    }

    /**
     * @param decoded          as a {@link FrameDecoder} gives it ({@code TYPE_INT_RGB} or {@code TYPE_BYTE_GRAY}); not
     *                         modified
     * @param sourceIccProfile the instance's ICC profile, or null when it has none (then taken as sRGB)
     * @return the decoded image itself when nothing is asked, else a new image of the same type (grey becomes RGB
     *         only when colour-transformed)
     * @throws IllegalArgumentException when the parameters cannot apply to this frame (a viewport region outside
     *                                  it, an output over the pixel limit): the client's error, one-line message
     * @throws UncheckedIOException     when the instance's ICC profile cannot be used for a requested transform
     */
    public BufferedImage apply(BufferedImage decoded, byte[] sourceIccProfile, RenderParameters p) {
        BufferedImage image = decoded;
        if (p.downsample() != 1 || p.viewport() != null) {
            Pixels pixels = Pixels.of(decoded);
            pixels = Downsample.apply(pixels, p.downsample(), p.interpolation());
            if (p.viewport() != null) {
                pixels = ViewportTransform.apply(pixels, p.viewport(), p.interpolation());
            }
            image = pixels.toImage();
        }
        try {
            return icc.apply(image, sourceIccProfile, p.iccProfile());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * The ICC profile the output of {@link #apply} carries: none when {@code embedIccProfile} is false or for NO;
     * the instance's own for YES (none if it has none); the target's for SRGB, ADOBERGB and DISPLAYP3.
     *
     * @return a new array, or null for none
     * @throws UncheckedIOException for YES when the instance's profile is not one an image can carry (not an RGB
     *                              input, display or colour space profile): embedding it would mislead a viewer
     */
    public byte[] outputIccProfile(byte[] sourceIccProfile, RenderParameters p) {
        if (!p.embedIccProfile()) {
            return null;
        }
        return switch (p.iccProfile()) {
            case NO -> null;
            case YES -> sourceIccProfile == null ? null : embeddable(sourceIccProfile).clone();
            case SRGB, ADOBERGB, DISPLAYP3 -> IccProfiles.target(p.iccProfile()).clone();
        };
    }

    private static byte[] embeddable(byte[] profile) {
        try {
            IccProfiles.parseSource(profile);
            return profile;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
