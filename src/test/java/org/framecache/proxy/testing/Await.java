package org.framecache.proxy.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a condition, not for a time: polls it until it holds or the deadline passes (then fails the test). */
public final class Await {
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; throws AssertionError naming {@code what} after {@code within}. */
    public static void until(Duration within, BooleanSupplier condition, String what) {
        if (!holdsWithin(within, condition)) {
            throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
        }
    }

    /** True as soon as {@code condition} holds, false once {@code within} has passed without it. */
    public static boolean holdsWithin(Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS); // the poll interval, not a wait for work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
        return true;
    }
}
