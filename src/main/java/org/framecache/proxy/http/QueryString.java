package org.framecache.proxy.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A URL query string ({@code CamelHttpQuery}, still percent-encoded) read as {@code name=value} pairs separated by
 * {@code &}: names and values are decoded as UTF-8 ({@code +} is a space), a pair without {@code =} has the value
 * "". A malformed percent escape is the client's error: 400 "malformed query string".
 */
public final class QueryString {

    private QueryString() {
    }

    /** Every pair, decoded, in order; empty pairs ({@code a=1&&b=2}) are skipped, repeated names kept. */
    public static List<Map.Entry<String, String>> pairs(String raw) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return pairs;
        }
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                pairs.add(Map.entry(decode(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? "" : decode(pair.substring(eq + 1))));
            }
        }
        return pairs;
    }

    /**
     * Name → value, a repeated name's values joined with commas (DICOMweb's list separator); pairs without a name
     * are left out.
     */
    public static Map<String, String> parameters(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : pairs(raw)) {
            if (!pair.getKey().isEmpty()) {
                parameters.merge(pair.getKey(), pair.getValue(), (a, b) -> a + "," + b);
            }
        }
        return parameters;
    }

    /**
     * The value of the first pair named {@code name}, or null when there is none. Pairs after it are not read (nor
     * their values before it), so a malformed escape there does not matter.
     */
    public static String first(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    /** One name or value, percent-decoded as UTF-8. */
    public static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProxyException.badRequest("malformed query string");
        }
    }
}
