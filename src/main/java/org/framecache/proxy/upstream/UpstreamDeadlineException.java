package org.framecache.proxy.upstream;

import java.net.SocketTimeoutException;

/**
 * A store call that did not end (connection, request and the whole answer) within its deadline. A
 * {@link SocketTimeoutException}: the error policy answers 504 and the breaker counts it as a failed call.
 */
public final class UpstreamDeadlineException extends SocketTimeoutException {
    public UpstreamDeadlineException(long deadlineMillis) {
        super("the store call did not complete within its " + deadlineMillis + " ms deadline");
    }
}
