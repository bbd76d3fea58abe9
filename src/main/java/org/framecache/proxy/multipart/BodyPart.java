package org.framecache.proxy.multipart;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One body part of a multipart entity.
 *
 * <p>{@code headers} is an unmodifiable, insertion-ordered map with lower-cased names and trimmed
 * values (repeated headers are joined with {@code ", "} by the reader). {@code content} is exactly
 * the part's bytes; for performance the array is <em>not</em> copied defensively, so callers must
 * not modify it if they share the part.
 *
 * @param headers part headers, lower-case names
 * @param content the part's content bytes (never null, possibly empty)
 */
public record BodyPart(Map<String, String> headers, byte[] content) {

    /**
     * Normalises {@code headers} into an unmodifiable, ordered map with lower-cased names.
     *
     * @throws IllegalArgumentException if two header names differ only in case
     */
    public BodyPart {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(content, "content");
        LinkedHashMap<String, String> normalised = new LinkedHashMap<>(Math.max(4, headers.size() * 2));
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "header name").toLowerCase(Locale.ROOT);
            String value = Objects.requireNonNull(e.getValue(), "header value").trim();
            if (normalised.put(name, value) != null) {
                throw new IllegalArgumentException("duplicate header: " + name);
            }
        }
        headers = Collections.unmodifiableMap(normalised);
    }

    /** @return the part's Content-Type header value, or null when absent */
    public String contentType() {
        return headers.get("content-type");
    }

    /** @return the part's Content-Length as declared in its headers, or -1 when absent or invalid */
    public long declaredLength() {
        return parseLength(headers.get("content-length"));
    }

    /** @return the non-negative decimal value of {@code v}, or -1 when null or not a valid length */
    static long parseLength(String v) {
        if (v == null || v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long result = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    /** Compares headers and content bytes (not array identity). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BodyPart)) {
            return false;
        }
        BodyPart other = (BodyPart) o;
        return headers.equals(other.headers) && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "BodyPart[headers=" + headers + ", content=" + content.length + " bytes]";
    }
}
