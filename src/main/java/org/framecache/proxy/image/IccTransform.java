package org.framecache.proxy.image;

import java.awt.color.CMMException;
import java.awt.color.ICC_Profile;
import java.awt.color.ProfileDataException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.framecache.proxy.image.RenderParameters.IccProfile;

/**
 * PS3.18 §8.3.5.1.5 {@code iccprofile}: the pixels converted from the instance's ICC profile to sRGB, Adobe RGB (1998)
 * or Display P3 with the JDK's colour management (LittleCMS 2), perceptual intent (the same as relative
 * colorimetric for these matrix/TRC profiles). An instance without a profile is taken to be sRGB, as viewers take it.
 * NO and YES leave the pixels as they are.
 */
final class IccTransform {
    /**
     * Ops made on this thread, by (source, target) profile: a {@link ColorConvertOp} keeps per-call state (not
     * thread-safe), and making one builds a LittleCMS transform, about half the time of converting a 256 x 256 tile.
     */
    private static final ThreadLocal<Map<Pair, ColorConvertOp>> OPS = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Pair, ColorConvertOp> eldest) {
                    return size() > 4;
                }
            });

    /** profiles compare by identity: {@link IccProfiles#parse} gives the same object for the same bytes */
    private record Pair(ICC_Profile from, ICC_Profile to) {
    }

    /**
     * @throws IOException when the instance's profile cannot be used (not a profile, not an RGB profile, not a class a
     *                     source profile has, or LittleCMS cannot link it)
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
        ICC_Profile from = IccProfiles.parseSource(source);
        ICC_Profile to = IccProfiles.parse(targetBytes);
        BufferedImage rgb = Rgb.of(image);
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Pair pair = new Pair(from, to);
        try {
            OPS.get().computeIfAbsent(pair, k -> new ColorConvertOp(new ICC_Profile[] {from, to}, null))
                    .filter(rgb.getRaster(), out.getRaster());
        } catch (CMMException | ProfileDataException e) {
            // a profile LittleCMS reads but cannot link (broken tags, an unusual class): the instance's profile is at fault
            OPS.get().remove(pair);
            throw new IOException("the colour transform from it failed: " + e.getMessage(), e);
        }
        return out;
    }
}
