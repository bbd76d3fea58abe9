package org.framecache.proxy.upstream;

/**
 * The store's stored frames are of no use here, lastingly: a part in a syntax outside the supported stored syntaxes,
 * or the store refusing to give the stored bytes at all (406/415). Unlike an error or a broken answer, which may not
 * happen again, this is remembered for the instance (the store renders it, when it can).
 */
public final class UnusableStoredSyntaxException extends RawRetrievalException {
    public UnusableStoredSyntaxException(String message) {
        super(message);
    }
}
