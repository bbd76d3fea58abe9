package org.framecache.proxy.multipart;

/**
 * Thrown when a multipart body (or its Content-Type) cannot be parsed, is truncated, or violates
 * a configured limit. The message is a short, human-readable reason that is safe to put into an
 * HTTP error body or a log line (it never echoes part content or header values).
 */
public class MalformedMultipartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedMultipartException(String message) {
        super(message);
    }

    public MalformedMultipartException(String message, Throwable cause) {
        super(message, cause);
    }
}
