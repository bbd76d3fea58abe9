package org.framecache.proxy.local;

import java.util.List;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.AcceptNegotiator;

/**
 * What an Accept header asks of a store that transcodes nothing: the stored representation, DICOM JSON, or a
 * rendered JPEG or PNG. Ranges refused with q=0 (in any spelling) are read as the routes read them
 * ({@link AcceptNegotiator#refuses}); a malformed header is a 400.
 */
final class StoreAccept {
    /** JPEG and PNG: what {@link FrameRenderer} writes. */
    private static final AcceptNegotiator RENDERED = new AcceptNegotiator();

    private StoreAccept() {
    }

    /**
     * Whether the Accept header admits the stored representation: no header, a wildcard, or
     * {@code multipart/related} with no type or this type (or application/octet-stream asking for any syntax),
     * and transfer-syntax absent, "*" or the stored one.
     */
    static boolean admitsStored(String accept, String essence, String mediaType, String syntax) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (MediaType range : ranges(accept)) {
            if (AcceptNegotiator.refuses(range)) {
                continue;
            }
            String e = range.essence();
            if (e.equals("*/*") || e.equals("multipart/*")) {
                return true;
            }
            if (!e.equals(essence)) {
                continue;
            }
            String type = range.parameter("type");
            String ts = range.parameter("transfer-syntax");
            boolean anySyntax = ts == null || ts.equals("*");
            if (type == null || TransferSyntaxes.canonicalMediaType(type).equals(mediaType)) {
                if (anySyntax || ts.equals(syntax)) {
                    return true;
                }
            } else if (type.equals("application/octet-stream") && "*".equals(ts)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the Accept header admits DICOM JSON (metadata and search results). */
    static boolean admitsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (MediaType range : ranges(accept)) {
            String e = range.essence();
            if (!AcceptNegotiator.refuses(range) && (e.equals("*/*") || e.equals("application/*")
                    || e.equals("application/dicom+json") || e.equals("application/json"))) {
                return true;
            }
        }
        return false;
    }

    /** JPEG (the default) or PNG, as the routes negotiate it (what the folder store renders). */
    static String renderedType(String accept) {
        return RENDERED.renderedType(accept);
    }

    private static List<MediaType> ranges(String accept) {
        try {
            return MediaType.parseList(accept);
        } catch (IllegalArgumentException e) {
            throw ProxyException.badRequest("malformed Accept header: " + e.getMessage());
        }
    }
}
