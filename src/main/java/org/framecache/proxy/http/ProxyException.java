package org.framecache.proxy.http;

/**
 * A failure that has an HTTP answer of its own. The error policy (routes/error-handling.camel.yaml) turns it
 * into {@code status} with {@code getMessage()} as a one-line plain-text body.
 */
public class ProxyException extends RuntimeException {
    private final int status;

    public ProxyException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public ProxyException(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }

    /** The store's authentication challenge to pass on with a 401; null for every other failure. */
    public String getWwwAuthenticate() {
        return null;
    }

    /** The methods the resource takes, for the Allow header of a 405 (RFC 9110 §15.5.6); null for every other failure. */
    public String getAllow() {
        return null;
    }

    /** Seconds a client should wait before trying again (Retry-After, RFC 9110 §10.2.3); null when not said. */
    public Integer getRetryAfter() {
        return null;
    }

    /** 503 with Retry-After: the proxy is busy now, not broken. */
    public static ProxyException busy(String message, int retryAfterSeconds) {
        return new ProxyException(503, message) {
            @Override
            public Integer getRetryAfter() {
                return retryAfterSeconds;
            }
        };
    }

    /** 405: the resource exists but does not take this method. */
    public static ProxyException methodNotAllowed(String method, java.util.Collection<String> allowed) {
        String allow = String.join(", ", new java.util.TreeSet<>(allowed));
        return new ProxyException(405, method + " is not allowed here (allowed: " + allow + ")") {
            @Override
            public String getAllow() {
                return allow;
            }
        };
    }

    public static ProxyException badRequest(String message) {
        return new ProxyException(400, message);
    }

    public static ProxyException notAcceptable(String message) {
        return new ProxyException(406, message);
    }
}
