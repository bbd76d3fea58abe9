package org.framecache.proxy.multipart;

import java.nio.charset.StandardCharsets;
import org.framecache.proxy.http.MediaType;

/** The {@code boundary} parameter of a multipart Content-Type, checked before any byte of the body is read. */
final class BoundaryParameter {

    /** Longest boundary accepted (RFC 2046 allows 70; some senders exceed that slightly). */
    static final int MAX_BOUNDARY_LENGTH = 256;

    private BoundaryParameter() {
    }

    /**
     * @return the boundary's bytes (printable US-ASCII, 1 to {@value #MAX_BOUNDARY_LENGTH} of them)
     * @throws MalformedMultipartException if the content type is missing, invalid, not multipart, or has no usable
     *                                     boundary
     */
    static byte[] of(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new MalformedMultipartException("missing Content-Type");
        }
        MediaType mediaType;
        try {
            mediaType = MediaType.parse(contentType);
        } catch (IllegalArgumentException e) {
            throw new MalformedMultipartException("invalid Content-Type: " + e.getMessage(), e);
        }
        if (!"multipart".equals(mediaType.type())) {
            throw new MalformedMultipartException("not a multipart Content-Type: " + mediaType.essence());
        }
        String boundary = mediaType.parameter("boundary");
        if (boundary == null) {
            throw new MalformedMultipartException("Content-Type has no boundary parameter");
        }
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw new MalformedMultipartException("invalid multipart boundary length: " + boundary.length());
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new MalformedMultipartException("invalid character in multipart boundary");
            }
        }
        return boundary.getBytes(StandardCharsets.US_ASCII);
    }
}
