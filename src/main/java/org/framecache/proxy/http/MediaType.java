package org.framecache.proxy.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable media type as defined by RFC 9110 section 8.3.1:
 * {@code type "/" subtype *( OWS ";" OWS parameter )}, where a parameter is
 * {@code name "=" ( token / quoted-string )}.
 *
 * <p>Type, subtype and parameter names are case-insensitive and are stored lower-cased.
 * Parameter values are stored unquoted (quoted-string escapes removed) and are compared
 * exactly, so {@code type="application/octet-stream"} and {@code type=application/octet-stream}
 * are equal.
 *
 * <p>Parsing is deliberately a little more lenient than the grammar, because real DICOMweb
 * stores are: extra whitespace (also around {@code =}), empty parameters ({@code ;;}),
 * a trailing {@code ;}, and unquoted values containing characters that are not token
 * characters (e.g. {@code type=application/dicom}) are accepted. Type and subtype must be
 * tokens; a duplicated parameter name is rejected because it makes e.g. the multipart
 * boundary ambiguous.
 *
 * <p>Instances are thread-safe.
 */
public final class MediaType {

    private final String type;
    private final String subtype;
    private final Map<String, String> parameters;
    private final String canonical;

    MediaType(String type, String subtype, LinkedHashMap<String, String> parameters) {
        this.type = type;
        this.subtype = subtype;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.canonical = format(type, subtype, parameters);
    }

    /**
     * Parses a single media type such as {@code multipart/related; type="application/dicom"; boundary=abc}.
     *
     * @param value the header value; leading and trailing whitespace is ignored
     * @return the parsed media type
     * @throws IllegalArgumentException if {@code value} is null or not a valid media type
     */
    public static MediaType parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("media type is null");
        }
        return new MediaTypeParser(value).parse();
    }

    /**
     * Parses a comma-separated list of media types, e.g. an {@code Accept} header. Commas inside
     * quoted strings do not split elements; empty elements are skipped. Parameters such as
     * {@code q} are kept as ordinary parameters.
     *
     * @param headerValue the header value; may be null or blank
     * @return the media types in header order (never null; empty for a null/blank header)
     * @throws IllegalArgumentException if any non-empty element is not a valid media type
     */
    public static List<MediaType> parseList(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return List.of();
        }
        List<MediaType> result = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        int n = headerValue.length();
        for (int i = 0; i < n; i++) {
            char c = headerValue.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++; // skip the escaped character, whatever it is
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                addElement(result, headerValue.substring(start, i));
                start = i + 1;
            }
        }
        addElement(result, headerValue.substring(start));
        return Collections.unmodifiableList(result);
    }

    private static void addElement(List<MediaType> result, String element) {
        if (!element.isBlank()) {
            result.add(parse(element));
        }
    }

    /** @return the lower-cased top-level type, e.g. {@code multipart} (may be {@code *}) */
    public String type() {
        return type;
    }

    /** @return the lower-cased subtype, e.g. {@code related} (may be {@code *}) */
    public String subtype() {
        return subtype;
    }

    /** @return {@code type/subtype} without parameters */
    public String essence() {
        return type + '/' + subtype;
    }

    /**
     * @param name parameter name, case-insensitive
     * @return the unquoted parameter value, or null if the parameter is absent
     */
    public String parameter(String name) {
        if (name == null) {
            return null;
        }
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    /** @return unmodifiable map of parameters in their original order, keys lower-cased, values unquoted */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * @param name parameter name, case-insensitive
     * @return a media type without that parameter ({@code this} if it was absent)
     */
    public MediaType withoutParameter(String name) {
        if (name == null) {
            return this;
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (!parameters.containsKey(key)) {
            return this;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(parameters);
        copy.remove(key);
        return new MediaType(type, subtype, copy);
    }

    /**
     * Returns a media type with the parameter set. An existing parameter of the same name
     * (case-insensitively) keeps its position and gets the new value; otherwise the parameter
     * is appended.
     *
     * @param name  a token, case-insensitive
     * @param value the unquoted value; any characters except control characters (other than HTAB)
     * @throws IllegalArgumentException if the name is not a token or the value cannot be represented
     */
    public MediaType withParameter(String name, String value) {
        if (name == null || !isToken(name)) {
            throw new IllegalArgumentException("invalid parameter name: " + name);
        }
        if (value == null) {
            throw new IllegalArgumentException("parameter value is null");
        }
        for (int i = 0; i < value.length(); i++) {
            if (isCtl(value.charAt(i))) {
                throw new IllegalArgumentException("control character in parameter value");
            }
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(parameters);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        return new MediaType(type, subtype, copy);
    }

    /**
     * @return canonical form {@code type/subtype; name=value; name="quoted value"}; values are
     * quoted only when they are not tokens
     */
    @Override
    public String toString() {
        return canonical;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MediaType)) {
            return false;
        }
        MediaType other = (MediaType) o;
        return type.equals(other.type) && subtype.equals(other.subtype) && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, subtype, parameters);
    }

    // ------------------------------------------------------------------------------------------

    private static String format(String type, String subtype, Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder(type.length() + subtype.length() + 1 + parameters.size() * 24);
        sb.append(type).append('/').append(subtype);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            sb.append("; ").append(e.getKey()).append('=');
            String v = e.getValue();
            if (isToken(v)) {
                sb.append(v);
            } else {
                sb.append('"');
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    if (c == '"' || c == '\\') {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
                sb.append('"');
            }
        }
        return sb.toString();
    }

    /** RFC 9110 tchar. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        switch (c) {
            case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
            case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
                return true;
            default:
                return false;
        }
    }

    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isCtl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }
}
