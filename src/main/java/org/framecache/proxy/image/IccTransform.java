package org.framecache.proxy.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.IOException;

import org.framecache.proxy.image.RenderParameters.IccProfile;

/**
 * PS3.18 §8.3.5.1.5 {@code iccprofile}: the pixels converted from the instance's ICC profile to sRGB, Adobe RGB (1998)
 * or Display P3 with the JDK's colour management (LittleCMS 2), perceptual intent (the same as relative
 * colorimetric for these matrix/TRC profiles). An instance without a profile is taken to be sRGB, as viewers take it.
 * NO and YES leave the pixels as they are.
 */
final class IccTransform {

    /**
     * @throws IOException when the instance's profile cannot be used (not a profile, not an RGB profile)
     */
    BufferedImage apply(BufferedImage image, byte[] sourceProfile, IccProfile target) throws IOException {
        byte[] targetBytes = IccProfiles.target(target);
        if (targetBytes == null) {
            return image;
        }
        byte[] source = sourceProfile == null ? IccProfiles.SRGB : sourceProfile;
        if (source == targetBytes || java.util.Arrays.equals(source, targetBytes)) {
            return image;
        }
        ICC_Profile from = IccProfiles.parse(source);
        if (from.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            throw new IOException("the instance's ICC profile is not an RGB profile");
        }
        ICC_Profile to = IccProfiles.parse(targetBytes);
        BufferedImage rgb = Rgb.of(image);
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        // a new op per call: ColorConvertOp keeps per-call state and is not thread-safe
        new ColorConvertOp(new ICC_Profile[] {from, to}, null).filter(rgb.getRaster(), out.getRaster());
        return out;
    }
}
