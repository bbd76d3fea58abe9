package org.framecache.proxy.inbound;

import org.framecache.proxy.dicom.TransferSyntaxes;

/**
 * What the client will receive for a frame, chosen once per request by {@link AcceptNegotiator}: the value sent
 * upstream as Accept, and the tag that names it in cache keys (never raw header text, so every spelling of the
 * same wish shares one entry).
 *
 * @param rendered       true for the store's /rendered representation
 * @param mediaType      expected media type of each frame (e.g. image/jpeg), or null when the stored one is taken
 * @param transferSyntax requested transfer syntax UID, "*" for whatever is stored, null for rendered
 * @param query          canonical rendered query parameters (quality, viewport...), "" when none
 * @param source         the stored syntax the proxy produces it from (rendering or transcoding the stored frame); null
 *                       when the store gives it as it is (stored bytes, the store's own /rendered or transcoding)
 */
public record Representation(boolean rendered, String mediaType, String transferSyntax, String query, String source) {

    public Representation(boolean rendered, String mediaType, String transferSyntax, String query) {
        this(rendered, mediaType, transferSyntax, query, null);
    }

    public static final String ANY_SYNTAX = "*";

    /** The bytes as stored, whatever their syntax (PS3.18 §8.7.3.5.2, transfer-syntax=*). */
    public static Representation stored() {
        return new Representation(false, null, ANY_SYNTAX, "");
    }

    public static Representation raw(String mediaType, String transferSyntax) {
        return new Representation(false, mediaType, transferSyntax, "");
    }

    public static Representation rendered(String mediaType, String query) {
        return new Representation(true, mediaType, null, query == null ? "" : query);
    }

    /** Rendered by the proxy from frames stored in {@code storedSyntax} (this representation's media type and query). */
    public Representation renderedFrom(String storedSyntax) {
        return new Representation(true, mediaType, null, query, storedSyntax);
    }

    /** These raw frames, made by the proxy from frames stored in {@code storedSyntax}. */
    public Representation transcodedFrom(String storedSyntax) {
        return new Representation(false, mediaType, transferSyntax, "", storedSyntax);
    }

    /** Frames of a virtual pyramid level ({@code query} says which), made by the proxy from frames stored in that syntax. */
    public static Representation virtualLevel(String mediaType, String transferSyntax, String query, String storedSyntax) {
        return new Representation(false, mediaType, transferSyntax, query, storedSyntax);
    }

    /** True when the proxy makes it from the stored frame (the store is asked only for the stored bytes). */
    public boolean producedByProxy() {
        return source != null;
    }

    public boolean isStored() {
        return !rendered && ANY_SYNTAX.equals(transferSyntax) && mediaType == null && source == null;
    }

    /** True when frames stored in {@code syntax} can be served as they are for this representation. */
    public boolean satisfiedBy(String syntax) {
        if (rendered) {
            return false;
        }
        if (isStored()) {
            return true;
        }
        return mediaType.equals(TransferSyntaxes.mediaTypeOf(syntax))
                && (ANY_SYNTAX.equals(transferSyntax) || transferSyntax.equals(syntax));
    }

    /** The single Accept value sent to the store for this representation. */
    public String upstreamAccept() {
        if (rendered) {
            return mediaType;
        }
        if (ANY_SYNTAX.equals(transferSyntax)) {
            // "this media type in any syntax": the stored bytes, checked against the media type when they arrive
            return "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        }
        return "multipart/related; type=\"" + mediaType + "\"; transfer-syntax=" + transferSyntax;
    }

    /**
     * The representation's part of a cache key. What the proxy produces names its source syntax and its operation
     * (render, transcode) with the normalized parameters: never the key of stored bytes or of the store's own answer.
     */
    public String cacheTag() {
        if (source != null) {
            return rendered ? "rendered-from:" + source + ":" + mediaType + "?" + query
                    : "transcoded-from:" + source + ":" + mediaType + ":" + transferSyntax + (query.isEmpty() ? "" : "?" + query);
        }
        if (rendered) {
            return query.isEmpty() ? "rendered:" + mediaType : "rendered:" + mediaType + "?" + query;
        }
        return isStored() ? "raw:*" : "raw:" + mediaType + ":" + transferSyntax;
    }

    @Override
    public String toString() {
        return cacheTag();
    }
}
