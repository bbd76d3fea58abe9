package org.framecache.proxy;

/**
 * What the client will receive for a frame, chosen once per request by {@link AcceptNegotiator}: the value sent
 * upstream as Accept, and the tag that names it in cache keys (never raw header text, so every spelling of the
 * same wish shares one entry).
 *
 * @param rendered       true for the store's /rendered representation
 * @param mediaType      expected media type of each frame (e.g. image/jpeg), or null when the stored one is taken
 * @param transferSyntax requested transfer syntax UID, "*" for whatever is stored, null for rendered
 * @param query          canonical rendered query parameters (quality, viewport...), "" when none
 */
public record Representation(boolean rendered, String mediaType, String transferSyntax, String query) {

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

    public boolean isStored() {
        return !rendered && ANY_SYNTAX.equals(transferSyntax) && mediaType == null;
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

    /** The representation's part of a cache key. */
    public String cacheTag() {
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
