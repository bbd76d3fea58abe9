package org.framecache.proxy.upstream;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.framecache.proxy.http.ProxyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker for the store: after {@code threshold} consecutive calls that could not reach it (connection
 * refused, timeouts), calls are refused at once with 503 for {@code openMillis}; then one trial call goes through,
 * and its outcome closes or reopens the circuit. Any HTTP answer, even an error status, counts as reachable.
 * Outcomes are observed on every upstream call (an event notifier); calls are checked before they are prepared.
 */
public final class UpstreamBreaker extends UpstreamCallListener {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamBreaker.class);

    private final String upstreamUrl;
    private final int threshold;
    private final long openNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean trialInFlight = new AtomicBoolean();
    private volatile long openUntil;
    private volatile boolean open;

    public UpstreamBreaker(String upstreamUrl, int threshold, long openMillis) {
        super(upstreamUrl, false, true);
        this.upstreamUrl = upstreamUrl;
        this.threshold = threshold;
        this.openNanos = TimeUnit.MILLISECONDS.toNanos(openMillis);
    }

    /** Before an upstream call: refuses it with 503 while the circuit is open (one trial call after the pause). */
    public void allow() {
        if (!open) {
            return;
        }
        if (System.nanoTime() - openUntil >= 0 && trialInFlight.compareAndSet(false, true)) {
            return;
        }
        throw new ProxyException(503, "upstream store unavailable: circuit open after " + threshold
                + " failed calls, retrying shortly");
    }

    @Override
    protected void callEnded(Exchange exchange, long millis) {
        if (exchange.getException() instanceof UpstreamDeadlineException) {
            return; // counted when the deadline passed ({@link #deadlinePassed})
        }
        if (exchange.getException() instanceof IOException) {
            failure(exchange.getException());
        } else {
            success();
        }
    }

    /**
     * A store call reached its deadline: a failure, whether the call was still waiting for the answer's head or its
     * body was being read by a later step (frames are read part by part, after the call step has ended).
     */
    public void deadlinePassed() {
        failure(new java.net.SocketTimeoutException("a store call passed its deadline"));
    }

    private void failure(Exception cause) {
        trialInFlight.set(false);
        if (consecutiveFailures.incrementAndGet() >= threshold) {
            openUntil = System.nanoTime() + openNanos;
            if (!open) {
                LOG.warn("Store {} unreachable {} times in a row ({}): refusing upstream calls for {} ms", upstreamUrl,
                        consecutiveFailures.get(), cause.getMessage(), TimeUnit.NANOSECONDS.toMillis(openNanos));
            }
            open = true;
        }
    }

    private void success() {
        consecutiveFailures.set(0);
        trialInFlight.set(false);
        if (open) {
            LOG.info("Store {} reachable again: circuit closed", upstreamUrl);
            open = false;
        }
    }

    public boolean isOpen() {
        return open;
    }
}
