package org.framecache.proxy.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.framecache.proxy.image.RenderParameters.IccProfile;

/**
 * The target profiles of PS3.18 §8.3.5.1.5 (sRGB and Adobe RGB (1998) from colord, CC0, bundled under
 * {@code /icc/}; Display P3 written by {@link DisplayP3Profile}), and the parsing of instance profiles, remembered
 * for the few instances being viewed (parsing a profile is costly next to a tile).
 */
final class IccProfiles {
    private static final int REMEMBERED = 32;
    static final byte[] SRGB = resource("/icc/sRGB.icc");
    static final byte[] ADOBE_RGB = resource("/icc/AdobeRGB1998.icc");
    static final byte[] DISPLAY_P3 = DisplayP3Profile.bytes();

    private static final Map<ByteBuffer, ICC_Profile> PARSED = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ICC_Profile> eldest) {
            return size() > REMEMBERED;
        }
    };

    private IccProfiles() {
    }

    /** the profile a transform to this target produces, or null for NO and YES */
    static byte[] target(IccProfile target) {
        return switch (target) {
            case SRGB -> SRGB;
            case ADOBERGB -> ADOBE_RGB;
            case DISPLAYP3 -> DISPLAY_P3;
            case NO, YES -> null;
        };
    }

    /** @throws IOException when the bytes are not an ICC profile the JDK can use */
    static ICC_Profile parse(byte[] bytes) throws IOException {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        synchronized (PARSED) {
            ICC_Profile known = PARSED.get(key);
            if (known != null) {
                return known;
            }
        }
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(bytes.clone());
        } catch (IllegalArgumentException e) {
            throw new IOException("not a usable ICC profile: " + e.getMessage(), e);
        }
        synchronized (PARSED) {
            PARSED.put(ByteBuffer.wrap(bytes.clone()), profile);
        }
        return profile;
    }

    /**
     * An instance's profile as the source of a transform or as the profile an image carries: an RGB profile of a class
     * that describes how pixels look (ICC.1 7.2.5: input 'scnr', display 'mntr', colour space 'spac'), not a device
     * link, an abstract or a named-colour profile (LittleCMS cannot link those from pixels; viewers ignore or reject
     * them in an image).
     *
     * @throws IOException when the bytes are not such a profile
     */
    static ICC_Profile parseSource(byte[] bytes) throws IOException {
        ICC_Profile profile = parse(bytes);
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            throw new IOException("not an RGB profile");
        }
        int profileClass = profile.getProfileClass();
        if (profileClass != ICC_Profile.CLASS_INPUT && profileClass != ICC_Profile.CLASS_DISPLAY
                && profileClass != ICC_Profile.CLASS_COLORSPACECONVERSION) {
            throw new IOException("its class is '" + classSignature(bytes) + "', not an input, display or colour space profile");
        }
        return profile;
    }

    /** The profile class signature of the header (ICC.1 7.2.5, bytes 12 to 15), as text. */
    private static String classSignature(byte[] bytes) {
        StringBuilder signature = new StringBuilder(4);
        for (int i = 12; i < 16 && i < bytes.length; i++) {
            char c = (char) (bytes[i] & 0xFF);
            signature.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return signature.toString();
    }

    private static byte[] resource(String name) {
        try (InputStream in = IccProfiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
