package org.framecache.proxy.upstream;

import org.framecache.proxy.http.ProxyException;

/**
 * Raw frame retrieval failed in a way the rendered endpoint may still serve: the store errored, answered
 * something other than multipart/related, the wrong number of parts, or a part we must not cache.
 * Caught by the frames route to fall back to rendered retrieval; 502 when the fallback is off.
 */
public class RawRetrievalException extends ProxyException {
    public RawRetrievalException(String message) {
        super(502, message);
    }

    public RawRetrievalException(String message, Throwable cause) {
        super(502, message, cause);
    }
}
