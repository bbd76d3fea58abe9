package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The render pool: results in task order, and a long frame list fits a small pool (it takes one place per thread). */
class RenderPoolTest {

    @Test
    void manyTasksOfOneRequestFitASmallPoolAndComeBackInOrder() throws Exception {
        try (RenderPool pool = new RenderPool(2, 1, 10_000)) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 37; i++) {
                int n = i;
                tasks.add(() -> n * n);
            }
            assertEquals(IntStream.range(0, 37).map(n -> n * n).boxed().toList(), pool.runAll(tasks));
            assertEquals(37, pool.getRendered());
            assertEquals(0, pool.getRefused());
        }
    }

    @Test
    void aFailingTaskFailsTheRequestWithItsOwnException() {
        try (RenderPool pool = new RenderPool(2, 4, 10_000)) {
            ProxyException e = org.junit.jupiter.api.Assertions.assertThrows(ProxyException.class, () -> pool.runAll(List.of(
                    () -> 1, () -> {
                        throw ProxyException.badRequest("viewport outside the frame");
                    })));
            assertEquals(400, e.getStatus());
        }
    }
}
