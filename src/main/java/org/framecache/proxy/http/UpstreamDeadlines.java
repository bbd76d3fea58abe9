package org.framecache.proxy.http;

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

    ScheduledFuture<?> at(long delayMillis, Runnable abort) {
        return scheduler.schedule(abort, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
