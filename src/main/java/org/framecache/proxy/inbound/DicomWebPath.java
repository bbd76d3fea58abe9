package org.framecache.proxy.inbound;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.framecache.proxy.http.ProxyException;

/**
 * The one boundary for paths under the prefix: a path is decoded once, checked segment by segment, and matched
 * against the DICOMweb resources of PS3.18 (studies, series, instances, metadata, rendered, thumbnail, frames,
 * bulkdata; QIDO-RS searches; STOW-RS). Anything else is 400 (malformed) or 404 (not a DICOMweb resource) and never
 * reaches the store. The path sent upstream is rebuilt from the checked segments (UIDs, keywords and bulkdata tag
 * segments, which need no escaping), never from the client's text.
 */
public final class DicomWebPath {
    private static final int MAX_UID_LENGTH = 64;
    private static final int MAX_PATH_LENGTH = 2048;
    private static final Set<String> READ = Set.of("GET", "HEAD");
    private static final Set<String> READ_STORE = Set.of("GET", "HEAD", "POST");
    private static final Set<String> READ_DELETE = Set.of("GET", "HEAD", "DELETE");
    private static final Set<String> READ_STORE_DELETE = Set.of("GET", "HEAD", "POST", "DELETE");

    /** What a path names, for the methods it takes. */
    public enum Resource {
        /** QIDO-RS search (GET); {@code studies} also takes STOW-RS (POST). */
        SEARCH,
        /** A study: retrieve, STOW-RS into it (POST), DELETE when allowed. */
        STUDY,
        /** A series or an instance: retrieve, DELETE when allowed. */
        SERIES_OR_INSTANCE,
        /** Metadata, rendered, thumbnail, frames, bulkdata: read only. */
        READ_ONLY
    }

    private final List<String> segments;
    private final Resource resource;

    private DicomWebPath(List<String> segments, Resource resource) {
        this.segments = List.copyOf(segments);
        this.resource = resource;
    }

    /**
     * Reads the path below the prefix ({@code /studies/1.2/metadata}), as the server received it (percent-encoded):
     * 400 for a malformed one, 404 for one that names no DICOMweb resource.
     */
    public static DicomWebPath parse(String path) {
        if (path == null || path.length() < 2 || path.charAt(0) != '/') {
            throw new ProxyException(404, "not a DICOMweb resource: expected /studies, /series or /instances below the prefix");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw ProxyException.badRequest("path longer than " + MAX_PATH_LENGTH + " characters");
        }
        String[] raw = path.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(raw.length);
        for (String encoded : raw) {
            segments.add(checkedSegment(encoded));
        }
        return new DicomWebPath(segments, match(segments));
    }

    /** The path to ask the store for, below its DICOMweb root, built from the checked segments. */
    public String upstreamPath() {
        return "/" + String.join("/", segments);
    }

    public Resource resource() {
        return resource;
    }

    /** The methods this resource takes; DELETE only when the operator allowed it. */
    public Set<String> allowedMethods(boolean deleteAllowed) {
        return switch (resource) {
            case SEARCH -> isStudies() ? READ_STORE : READ;
            case STUDY -> deleteAllowed ? READ_STORE_DELETE : READ_STORE;
            case SERIES_OR_INSTANCE -> deleteAllowed ? READ_DELETE : READ;
            case READ_ONLY -> READ;
        };
    }

    /** True for a request whose method the resource takes; else the caller answers 405. */
    public boolean allows(String method, boolean deleteAllowed) {
        return allowedMethods(deleteAllowed).contains(method);
    }

    private boolean isStudies() {
        return segments.size() == 1 && segments.get(0).equals("studies");
    }

    /** One segment, percent-decoded once; no dot segments, separators, control characters or empty segments. */
    private static String checkedSegment(String encoded) {
        String segment = decode(encoded);
        if (segment.isEmpty()) {
            throw ProxyException.badRequest("empty path segment");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw ProxyException.badRequest("dot segments are not allowed in paths");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\') {
                throw ProxyException.badRequest("encoded path separators are not allowed");
            }
            if (c < 0x20 || c == 0x7f) {
                throw ProxyException.badRequest("control characters are not allowed in paths");
            }
        }
        return segment;
    }

    /** RFC 3986 percent-decoding of one segment, as UTF-8; a malformed escape or invalid UTF-8 is 400. */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
            if (low < 0) {
                throw ProxyException.badRequest("malformed percent-encoding in path");
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ProxyException.badRequest("path is not valid UTF-8");
        }
    }

    /**
     * PS3.18 §10.4 (retrieve), §10.6 (search), §10.5 (store) resource paths:
     * <pre>
     * studies | series | instances                                      search (studies: also STOW)
     * studies/{s} [ /metadata | /rendered | /thumbnail | /series | /instances ]
     * studies/{s}/series/{r} [ /metadata | /rendered | /thumbnail | /instances ]
     * studies/{s}/series/{r}/instances/{i} [ /metadata | /rendered | /thumbnail | /bulkdata/... | /bulk/... ]
     * studies/{s}/series/{r}/instances/{i}/frames/{list} [ /rendered | /thumbnail ]
     * </pre>
     */
    private static Resource match(List<String> s) {
        int n = s.size();
        String first = s.get(0);
        if (n == 1 && (first.equals("studies") || first.equals("series") || first.equals("instances"))) {
            return Resource.SEARCH;
        }
        if (!first.equals("studies")) {
            throw notDicomWeb();
        }
        uid(s, 1, "study");
        if (n == 2) {
            return Resource.STUDY;
        }
        if (n == 3) {
            return switch (s.get(2)) {
                case "metadata", "rendered", "thumbnail" -> Resource.READ_ONLY;
                case "series", "instances" -> Resource.SEARCH;
                default -> throw notDicomWeb();
            };
        }
        if (!s.get(2).equals("series")) {
            throw notDicomWeb();
        }
        uid(s, 3, "series");
        if (n == 4) {
            return Resource.SERIES_OR_INSTANCE;
        }
        if (n == 5) {
            return switch (s.get(4)) {
                case "metadata", "rendered", "thumbnail" -> Resource.READ_ONLY;
                case "instances" -> Resource.SEARCH;
                default -> throw notDicomWeb();
            };
        }
        if (!s.get(4).equals("instances")) {
            throw notDicomWeb();
        }
        uid(s, 5, "instance");
        if (n == 6) {
            return Resource.SERIES_OR_INSTANCE;
        }
        String below = s.get(6);
        if (n == 7 && (below.equals("metadata") || below.equals("rendered") || below.equals("thumbnail"))) {
            return Resource.READ_ONLY;
        }
        if (below.equals("bulkdata") || below.equals("bulk")) {
            for (int i = 7; i < n; i++) {
                bulkdataSegment(s.get(i));
            }
            return Resource.READ_ONLY;
        }
        if (below.equals("frames") && n >= 8 && n <= 9) {
            frameList(s.get(7));
            if (n == 8 || s.get(8).equals("rendered") || s.get(8).equals("thumbnail")) {
                return Resource.READ_ONLY;
            }
        }
        throw notDicomWeb();
    }

    private static ProxyException notDicomWeb() {
        return new ProxyException(404, "not a DICOMweb resource");
    }

    private static void uid(List<String> segments, int index, String what) {
        if (!isUid(segments.get(index))) {
            throw ProxyException.badRequest("invalid " + what + " UID");
        }
    }

    /** PS3.5 §9.1: at most 64 characters, components of digits separated by single dots. */
    public static boolean isUid(String value) {
        if (value.isEmpty() || value.length() > MAX_UID_LENGTH) {
            return false;
        }
        boolean digitBefore = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digitBefore = true;
            } else if (c == '.' && digitBefore) {
                digitBefore = false;
            } else {
                return false;
            }
        }
        return digitBefore;
    }

    private static void frameList(String list) {
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (!(c >= '0' && c <= '9' || c == ',')) {
                throw ProxyException.badRequest("frame list must be frame numbers separated by commas");
            }
        }
    }

    /** Bulkdata below an instance is named by the store: tags and item numbers (hex digits, letters, dots, commas). */
    private static void bulkdataSegment(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == ','
                    || c == '-' || c == '_')) {
                throw ProxyException.badRequest("invalid bulkdata path segment");
            }
        }
    }
}
