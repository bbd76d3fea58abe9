package org.framecache.proxy.upstream;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that ends store calls at their deadline: each call schedules its abort here and cancels it when
 * its answer has been read. Cancelled aborts leave the queue at once, so thousands of quick calls cost nothing.
 */
public final class UpstreamDeadlines implements AutoCloseable {
    private final ScheduledThreadPoolExecutor scheduler;

    public UpstreamDeadlines() {
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "upstream-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Told of every call that reached its deadline (the breaker counts it, wherever its answer was being read). */
    private volatile Runnable onExpired = () -> { };

    ScheduledFuture<?> at(long delayMillis, Runnable abort) {
        return scheduler.schedule(() -> {
            abort.run();
            onExpired.run();
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    public void onExpired(Runnable listener) {
        onExpired = listener;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
