package org.framecache.proxy.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;

/**
 * Lines for loggers (the access log and the audit, a line per request), handed to the logging backend by one
 * background thread every few milliseconds. The threads that serve requests only enqueue a line: no lock and no
 * wake-up of the backend's writer per line, which cost a third of a cached frame's time at tens of thousands of
 * requests a second; the backend gets bursts and flushes once per burst. Each line is still one log event, in
 * order per logger. Past {@link #MAX_QUEUED} waiting lines the caller logs itself (back-pressure, nothing dropped).
 */
final class BatchedLogLines implements AutoCloseable {
    static final int MAX_QUEUED = 65_536;
    private static final long INTERVAL_MILLIS = 10;

    private record Line(Logger logger, String text) {
    }

    private final Queue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ScheduledExecutorService writer;

    BatchedLogLines() {
        this(INTERVAL_MILLIS);
    }

    /** With a background thread that drains every {@code intervalMillis}; none when 0 (tests drain themselves). */
    BatchedLogLines(long intervalMillis) {
        if (intervalMillis <= 0) {
            writer = null;
            return;
        }
        writer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "log-lines");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleWithFixedDelay(this::drain, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** A sink that writes its lines to the logger, in batches. */
    Consumer<String> to(Logger logger) {
        return text -> {
            if (queued.incrementAndGet() > MAX_QUEUED) {
                queued.decrementAndGet();
                logger.info(text);
            } else {
                queue.add(new Line(logger, text));
            }
        };
    }

    /** Hands every waiting line to its logger. */
    void drain() {
        Line line;
        while ((line = queue.poll()) != null) {
            queued.decrementAndGet();
            line.logger().info(line.text());
        }
    }

    /** Stops the background thread; lines still waiting are written first. */
    @Override
    public void close() {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
    }
}
