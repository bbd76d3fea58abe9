package org.framecache.proxy.http;

import java.util.LinkedHashMap;
import java.util.Locale;

/** Single-use recursive-descent parser over one media type string. */
final class MediaTypeParser {
    private final String s;
    private final int n;
    private int i;

    MediaTypeParser(String s) {
        this.s = s;
        this.n = s.length();
    }

    MediaType parse() {
        skipOws();
        if (i == n) {
            throw new IllegalArgumentException("empty media type");
        }
        String type = token();
        if (type.isEmpty()) {
            throw new IllegalArgumentException("invalid media type: missing type");
        }
        if (i == n || s.charAt(i) != '/') {
            throw new IllegalArgumentException("invalid media type: expected '/' after type");
        }
        i++;
        String subtype = token();
        if (subtype.isEmpty()) {
            throw new IllegalArgumentException("invalid media type: missing subtype");
        }
        LinkedHashMap<String, String> params = new LinkedHashMap<>();
        skipOws();
        while (i < n) {
            char c = s.charAt(i);
            if (c != ';') {
                throw new IllegalArgumentException("invalid media type: unexpected character at position " + i);
            }
            i++;
            skipOws();
            if (i == n || s.charAt(i) == ';') {
                continue; // empty parameter or trailing ';'
            }
            String name = token();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("invalid media type: bad parameter name at position " + i);
            }
            skipOws();
            if (i == n || s.charAt(i) != '=') {
                throw new IllegalArgumentException("invalid media type: missing '=' after parameter " + name);
            }
            i++;
            skipOws();
            String value = (i < n && s.charAt(i) == '"') ? quotedString() : unquotedValue();
            if (params.put(name.toLowerCase(Locale.ROOT), value) != null) {
                throw new IllegalArgumentException("invalid media type: duplicate parameter " + name);
            }
            skipOws();
        }
        return new MediaType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), params);
    }

    private void skipOws() {
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t') {
                break;
            }
            i++;
        }
    }

    private String token() {
        int start = i;
        while (i < n && MediaType.isTokenChar(s.charAt(i))) {
            i++;
        }
        return s.substring(start, i);
    }

    /** Lenient unquoted value: any visible characters except ';' and '"'. */
    private String unquotedValue() {
        int start = i;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ';' || c == '"' || c == ' ' || c == '\t' || MediaType.isCtl(c)) {
                break;
            }
            i++;
        }
        if (i == start) {
            throw new IllegalArgumentException("invalid media type: empty or malformed parameter value at position " + i);
        }
        return s.substring(start, i);
    }

    private String quotedString() {
        i++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= n) {
                throw new IllegalArgumentException("invalid media type: unterminated quoted string");
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return sb.toString();
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("invalid media type: unterminated quoted string");
                }
                char escaped = s.charAt(i + 1);
                if (MediaType.isCtl(escaped)) {
                    throw new IllegalArgumentException("invalid media type: control character in quoted string");
                }
                sb.append(escaped);
                i += 2;
            } else {
                if (MediaType.isCtl(c)) {
                    throw new IllegalArgumentException("invalid media type: control character in quoted string");
                }
                sb.append(c);
                i++;
            }
        }
    }
}
