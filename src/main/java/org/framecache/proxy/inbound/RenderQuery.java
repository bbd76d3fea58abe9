package org.framecache.proxy.inbound;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.image.RenderParameters.Viewport;
import org.framecache.proxy.image.RenderParameters;

/**
 * The query parameters of a rendered request (PS3.18 §8.3.5.1 and the reference proxy's own), read once into
 * {@link RenderParameters}: names as the reference proxy spells them, values trimmed and case-insensitive, each invalid
 * value a 400 with a one-line reason. {@link #canonical} names the parameters in cache keys, defaults spelled out, so
 * that every spelling of the same wish shares one entry.
 */
public final class RenderQuery {
    public static final int DEFAULT_QUALITY = 95;
    /** The largest downsampling factor taken (a frame scaled to a few pixels is no use to anyone). */
    static final int MAX_DOWNSAMPLE = 1024;
    /** Viewport sizes are output pixels: bounded so that a request cannot ask the proxy for a huge image. */
    static final int MAX_VIEWPORT = 16384;
    static final RenderParameters DEFAULTS = new RenderParameters(DEFAULT_QUALITY, 1, Interpolation.AREA, null,
            IccProfile.NO, true);

    /** Media types whose encoders ignore quality: it is left out of their keys. */
    private static final Set<String> LOSSLESS = Set.of("image/png", "image/gif");

    private RenderQuery() {
    }

    /** @param query the request's query parameters, names as sent (accept already taken out) */
    public static RenderParameters parse(Map<String, String> query) {
        int quality = DEFAULT_QUALITY;
        int downsample = 1;
        Interpolation interpolation = Interpolation.AREA;
        Viewport viewport = null;
        IccProfile icc = IccProfile.NO;
        boolean embed = true;
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            String value = parameter.getValue().strip();
            switch (parameter.getKey().strip().toLowerCase(Locale.ROOT)) {
                case "quality" -> quality = quality(value);
                case "downsample" -> downsample = downsample(value);
                case "interpolation" -> interpolation = choice(Interpolation.class, "interpolation", value);
                case "viewport" -> viewport = viewport(value);
                case "iccprofile" -> icc = choice(IccProfile.class, "iccprofile", value);
                case "embed_iccprofile" -> embed = yesOrNo(value);
                default -> {
                    // other parameters (e.g. PS3.18 annotation, window) are not rendering operations the proxy does
                }
            }
        }
        return new RenderParameters(quality, downsample, interpolation, viewport, icc, embed);
    }

    /**
     * The parameters as a cache-key part: every operation with its value, defaults included, in one order; quality
     * only where the output format uses it.
     */
    public static String canonical(RenderParameters p, String mediaType) {
        StringBuilder key = new StringBuilder();
        if (!LOSSLESS.contains(mediaType)) {
            key.append("quality=").append(p.quality()).append('&');
        }
        key.append("downsample=").append(p.downsample());
        if (p.downsample() > 1 || p.viewport() != null) {
            key.append("&interpolation=").append(p.interpolation().name().toLowerCase(Locale.ROOT));
        }
        if (p.viewport() != null) {
            Viewport v = p.viewport();
            key.append("&viewport=").append(v.vw()).append(',').append(v.vh());
            if (v.hasRegion()) {
                key.append(',').append(v.sx()).append(',').append(v.sy()).append(',').append(v.sw()).append(',').append(v.sh());
            }
        }
        key.append("&iccprofile=").append(p.iccProfile().name().toLowerCase(Locale.ROOT));
        if (p.iccProfile() != IccProfile.NO) {
            // with iccprofile=no nothing is embedded either way: one key
            key.append("&embed_iccprofile=").append(p.embedIccProfile());
        }
        return key.toString();
    }

    /**
     * The same wish for a frame of {@code columns} x {@code rows}: a viewport region that is the whole frame
     * ({@code vw,vh,0,0,columns,rows}) is the viewport without a region ({@code vw,vh}); else {@code p} itself.
     */
    public static RenderParameters wholeFrameAsNoRegion(RenderParameters p, int columns, int rows) {
        Viewport v = p.viewport();
        if (v == null || !v.hasRegion() || v.sx() != 0 || v.sy() != 0 || v.sw() != columns || v.sh() != rows) {
            return p;
        }
        return new RenderParameters(p.quality(), p.downsample(), p.interpolation(),
                new Viewport(v.vw(), v.vh(), false, 0, 0, 0, 0), p.iccProfile(), p.embedIccProfile());
    }

    /**
     * What the store's own /rendered can be asked for (PS3.18 §8.3.5.1: quality, viewport); the proxy's own
     * operations it cannot do are refused before ({@link #storeCanDo}).
     */
    public static String forStore(RenderParameters p) {
        StringBuilder query = new StringBuilder();
        if (p.quality() != DEFAULT_QUALITY) {
            query.append("quality=").append(p.quality());
        }
        if (p.viewport() != null) {
            Viewport v = p.viewport();
            query.append(query.length() == 0 ? "" : "&").append("viewport=").append(v.vw()).append(',').append(v.vh());
            if (v.hasRegion()) {
                query.append(',').append(v.sx()).append(',').append(v.sy()).append(',').append(v.sw()).append(',').append(v.sh());
            }
        }
        return query.toString();
    }

    /** Null when a store's standard /rendered does what was asked; else what it cannot do. */
    public static String storeCannotDo(RenderParameters p) {
        if (p.downsample() > 1) {
            return "downsample";
        }
        if (p.iccProfile() != IccProfile.NO) {
            return "iccprofile=" + p.iccProfile().name().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static int quality(String value) {
        int quality = integer("quality", value);
        if (quality < 1 || quality > 100) {
            throw ProxyException.badRequest("quality must be from 1 to 100, got " + abbreviate(value));
        }
        return quality;
    }

    /** A factor of 1 or more; written as a whole number, or as a decimal of one ("2.0") as the reference proxy takes. */
    private static int downsample(String value) {
        double factor;
        try {
            factor = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw ProxyException.badRequest("downsample must be a number of 1 or more, got " + abbreviate(value));
        }
        if (!(factor >= 1)) {
            throw ProxyException.badRequest("downsample must be 1 or more, got " + abbreviate(value));
        }
        if (factor != Math.rint(factor)) {
            throw ProxyException.badRequest("downsample must be a whole number, got " + abbreviate(value));
        }
        if (factor > MAX_DOWNSAMPLE) {
            throw ProxyException.badRequest("downsample must be at most " + MAX_DOWNSAMPLE + ", got " + abbreviate(value));
        }
        return (int) factor;
    }

    /** PS3.18 §8.3.5.1.3: vw,vh[,sx,sy,sw,sh]; vw and vh at least 1; sx, sy at least 0; sw, sh not 0 (negative flips). */
    private static Viewport viewport(String value) {
        String[] items = value.split(",", -1);
        if (items.length != 2 && items.length != 6) {
            throw ProxyException.badRequest("viewport must be vw,vh or vw,vh,sx,sy,sw,sh, got " + abbreviate(value));
        }
        int[] v = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            v[i] = integer("viewport", items[i].strip());
        }
        if (v[0] < 1 || v[1] < 1 || v[0] > MAX_VIEWPORT || v[1] > MAX_VIEWPORT) {
            throw ProxyException.badRequest("viewport width and height must be from 1 to " + MAX_VIEWPORT + ", got "
                    + abbreviate(value));
        }
        if (items.length == 2) {
            return new Viewport(v[0], v[1], false, 0, 0, 0, 0);
        }
        if (v[2] < 0 || v[3] < 0 || v[4] == 0 || v[5] == 0) {
            throw ProxyException.badRequest("viewport region needs sx, sy of 0 or more and sw, sh not 0, got "
                    + abbreviate(value));
        }
        return new Viewport(v[0], v[1], true, v[2], v[3], v[4], v[5]);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String name, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : "|").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw ProxyException.badRequest(name + " must be one of " + allowed + ", got " + abbreviate(value));
    }

    private static boolean yesOrNo(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw ProxyException.badRequest("embed_iccprofile must be yes|no|true|false, got " + abbreviate(value));
        };
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ProxyException.badRequest(name + " must be a whole number, got " + abbreviate(value));
        }
    }

    private static String abbreviate(String s) {
        String line = s.replaceAll("[\\p{Cntrl}]", "?");
        return line.isEmpty() ? "nothing" : line.length() <= 40 ? line : line.substring(0, 37) + "...";
    }
}
