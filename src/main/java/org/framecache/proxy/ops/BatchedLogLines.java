package org.framecache.proxy.ops;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.vertx.core.Context;

/**
 * Lines (the access log and the audit, a line each per request) handed to their writers by one background thread
 * every few milliseconds. The threads that serve requests only enqueue a line: no lock, no wake-up of a log writer
 * and no Camel send per line, which together cost a third of a cached frame's time at tens of thousands of
 * requests a second; writers get bursts. Lines reach each writer in the order they were given.
 *
 * <p>Past {@link #MAX_QUEUED} waiting lines a request thread writes its line itself (back-pressure, nothing
 * dropped), except an event loop, which must never wait: it enqueues anyway. Requests answered on an event loop
 * ({@link org.framecache.proxy.server.InProcessHits}) check {@link #hasRoom()} first and otherwise leave the request to
 * its route, so the queue stays bounded.
 */
final class BatchedLogLines implements AutoCloseable {
    static final int MAX_QUEUED = 65_536;
    private static final long INTERVAL_MILLIS = 10;

    private record Line(Consumer<String> writer, String text) {
    }

    private final Queue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder failures = new LongAdder();
    private final ScheduledExecutorService thread;
    private volatile boolean closed;

    BatchedLogLines() {
        this(INTERVAL_MILLIS);
    }

    /** With a background thread that drains every {@code intervalMillis}; none when 0 (tests drain themselves). */
    BatchedLogLines(long intervalMillis) {
        if (intervalMillis <= 0) {
            thread = null;
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "log-lines");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::drain, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** A sink whose lines reach {@code writer} from the background thread. */
    Consumer<String> to(Consumer<String> writer) {
        return text -> {
            if (closed || queued.get() >= MAX_QUEUED && !Context.isOnEventLoopThread()) {
                write(writer, text);
                return;
            }
            queued.incrementAndGet();
            queue.add(new Line(writer, text));
        };
    }

    /** False while the queue is full: whoever must not wait (an event loop) should not add to it. */
    boolean hasRoom() {
        return queued.get() < MAX_QUEUED;
    }

    /** Lines a writer failed to take (an unreachable endpoint, say); they are not tried again. */
    long failures() {
        return failures.sum();
    }

    /** Hands every waiting line to its writer. */
    void drain() {
        Line line;
        while ((line = queue.poll()) != null) {
            queued.decrementAndGet();
            write(line.writer(), line.text());
        }
    }

    private void write(Consumer<String> writer, String text) {
        try {
            writer.accept(text);
        } catch (RuntimeException e) {
            failures.increment(); // one failed line must not stop the lines after it
        }
    }

    /** Stops the background thread; lines still waiting are written first, later ones at once by their callers. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
    }
}
