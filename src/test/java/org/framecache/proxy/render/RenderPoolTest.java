package org.framecache.proxy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.framecache.proxy.http.ProxyException;
import org.junit.jupiter.api.Test;

/**
 * The render pool: results in task order, a long frame list fits a small pool (it takes one place per thread), and
 * tasks hold no more memory together than render.max-memory-bytes.
 */
class RenderPoolTest {
    private static final long MIB = 1 << 20;

    @Test
    void manyTasksOfOneRequestFitASmallPoolAndComeBackInOrder() throws Exception {
        try (RenderPool pool = new RenderPool(2, 1, 10_000, 64 * MIB)) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 37; i++) {
                int n = i;
                tasks.add(() -> n * n);
            }
            assertEquals(IntStream.range(0, 37).map(n -> n * n).boxed().toList(), pool.runAll(tasks, MIB));
            assertEquals(37, pool.getRendered());
            assertEquals(0, pool.getRefused());
            assertEquals(0, pool.getMemoryInUse(), "every task gave its memory back");
        }
    }

    @Test
    void aFailingTaskFailsTheRequestWithItsOwnException() {
        try (RenderPool pool = new RenderPool(2, 4, 10_000, 64 * MIB)) {
            ProxyException e = assertThrows(ProxyException.class, () -> pool.runAll(List.of(
                    () -> 1, () -> {
                        throw ProxyException.badRequest("viewport outside the frame");
                    }), MIB));
            assertEquals(400, e.getStatus());
            assertEquals(0, pool.getMemoryInUse(), "a failed task gave its memory back");
        }
    }

    @Test
    void tasksWhoseMemoryDoesNotFitTogetherRunOneAfterTheOther() throws Exception {
        try (RenderPool pool = new RenderPool(2, 4, 10_000, 3 * MIB)) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            Callable<Integer> task = () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    // the first to run holds its 2 MiB until the other task is seen waiting for its own
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (pool.getMemoryWaiting() == 0 && running.get() == 1 && most.get() == 1
                            && System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return (int) (pool.getMemoryInUse() / MIB);
                } finally {
                    running.decrementAndGet();
                }
            };
            assertEquals(List.of(2, 2), pool.runAll(List.of(task, task), 2 * MIB));
            assertEquals(1, most.get(), "two tasks of 2 MiB never ran at once under a 3 MiB budget");
        }
    }

    @Test
    void aTaskNeedingMoreThanTheWholeBudgetIsRefusedWithoutRunning() {
        try (RenderPool pool = new RenderPool(2, 4, 10_000, 3 * MIB)) {
            AtomicInteger ran = new AtomicInteger();
            ProxyException e = assertThrows(ProxyException.class,
                    () -> pool.runAll(List.<Callable<Integer>>of(ran::incrementAndGet), 4 * MIB));
            assertEquals(503, e.getStatus());
            assertNull(e.getRetryAfter(), "it will not fit later either: no Retry-After");
            assertTrue(e.getMessage().contains("render.max-memory-bytes"), e.getMessage());
            assertEquals(0, ran.get());
        }
    }
}
