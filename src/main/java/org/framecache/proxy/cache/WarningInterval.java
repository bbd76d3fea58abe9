package org.framecache.proxy.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** At most one warning per interval, so that an outage does not flood the log at request rate. */
final class WarningInterval {
    private final long intervalNanos;
    private final AtomicLong lastWarning;

    WarningInterval(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.lastWarning = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** True at most once per interval, to the one caller that claims it. */
    boolean due() {
        long now = System.nanoTime();
        long last = lastWarning.get();
        return now - last >= intervalNanos && lastWarning.compareAndSet(last, now);
    }
}
