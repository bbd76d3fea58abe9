package org.framecache.proxy.render;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.framecache.proxy.http.ProxyException;

/**
 * The CPU work of image operations (decode, render, encode, transcode), on render.threads threads with at most
 * render.queue tasks waiting: made once for the process, never on the HTTP server's event loop. When it is full a
 * request is refused at once with 503 and Retry-After (back-pressure), instead of queueing without bound; a request
 * waits for its own tasks no longer than its deadline.
 *
 * <p>Memory is bounded too: each task says how much heap it needs at most (its caller estimates it from the pixels it
 * decodes and makes) and runs only once that much of render.max-memory-bytes is free, so a few concurrent renderings
 * of large frames wait for each other instead of exhausting the heap; a task that needs more than the whole budget is
 * refused (503 with the reason) without running.
 */
public final class RenderPool implements AutoCloseable {
    private static final long KIB = 1024;
    private final ThreadPoolExecutor executor;
    private final long deadlineMillis;
    private final LongAdder refused = new LongAdder();
    private final LongAdder rendered = new LongAdder();
    private final Semaphore memory;
    private final long maxMemoryBytes;

    public RenderPool(int threads, int queue, long deadlineMillis, long maxMemoryBytes) {
        if (maxMemoryBytes < KIB) {
            throw new IllegalArgumentException("render.max-memory-bytes must be at least " + KIB + ", got " + maxMemoryBytes);
        }
        this.maxMemoryBytes = maxMemoryBytes;
        this.memory = new Semaphore((int) Math.min(Integer.MAX_VALUE, maxMemoryBytes / KIB), true);
        BlockingQueue<Runnable> waiting = queue <= 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, waiting, task -> {
            Thread thread = new Thread(task, "render-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.deadlineMillis = deadlineMillis;
    }

    /**
     * Runs every task on the pool and returns their results in order. A request takes at most as many places in the
     * pool as it has threads (its tasks are shared among that many batches), so a long frame list needs no larger queue;
     * 503 (Retry-After: 1) when the pool cannot take them now (none of them then runs), 504 past the deadline.
     */
    public <T> List<T> runAll(List<Callable<T>> tasks, long bytesPerTask) throws Exception {
        if (bytesPerTask > maxMemoryBytes) {
            refused.increment();
            // no Retry-After: it will not fit later either, unless the operator raises the budget
            throw new ProxyException(503, "rendering these frames needs about " + (bytesPerTask >> 20) + " MiB of memory"
                    + " each, more than render.max-memory-bytes (" + (maxMemoryBytes >> 20) + " MiB) allows");
        }
        int permits = (int) Math.max(1, (bytesPerTask + KIB - 1) / KIB);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        int batches = Math.min(tasks.size(), executor.getMaximumPoolSize());
        List<Future<List<T>>> futures = new ArrayList<>(batches);
        try {
            for (int b = 0; b < batches; b++) {
                int first = b;
                futures.add(executor.submit(() -> {
                    List<T> results = new ArrayList<>();
                    for (int i = first; i < tasks.size(); i += batches) {
                        results.add(withMemory(tasks.get(i), permits, end));
                    }
                    return results;
                }));
            }
        } catch (RejectedExecutionException full) {
            futures.forEach(f -> f.cancel(true));
            refused.increment();
            throw ProxyException.busy("the proxy is rendering as much as it can (render.threads, render.queue):"
                    + " try again shortly", 1);
        }
        List<List<T>> done = new ArrayList<>(batches);
        try {
            for (Future<List<T>> future : futures) {
                done.add(future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(true));
            throw new ProxyException(504, "rendering did not finish within " + deadlineMillis + " ms");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ProxyException(503, "interrupted while rendering");
        }
        List<T> results = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            results.add(done.get(i % batches).get(i / batches));
        }
        rendered.add(results.size());
        return results;
    }

    /** Runs a task once its memory is free, giving it back after; 504 when it is not free before the deadline. */
    private <T> T withMemory(Callable<T> task, int permits, long end) throws Exception {
        if (!memory.tryAcquire(permits, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new ProxyException(504, "rendering did not get its memory (render.max-memory-bytes) within "
                    + deadlineMillis + " ms");
        }
        try {
            return task.call();
        } finally {
            memory.release(permits);
        }
    }

    /** Heap render tasks may hold now, in bytes (for the status and tests). */
    public long getMemoryInUse() {
        return maxMemoryBytes - (long) memory.availablePermits() * KIB;
    }

    /** Tasks waiting for their memory now. */
    public int getMemoryWaiting() {
        return memory.getQueueLength();
    }

    /** For tests and the status: a task straight onto the pool (refused when it is full). */
    public Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    /** Requests refused because the pool was full. */
    public long getRefused() {
        return refused.sum();
    }

    /** Frames produced on the pool. */
    public long getRendered() {
        return rendered.sum();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
