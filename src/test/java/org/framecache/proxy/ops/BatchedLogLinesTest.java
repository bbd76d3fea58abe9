package org.framecache.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class BatchedLogLinesTest {

    /** Records each line it is given, with the thread that gave it. */
    private static final class Recorder implements Consumer<String> {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void accept(String line) {
            // the thread first: a test that sees the line may read its thread at once
            threads.add(Thread.currentThread().getName());
            lines.add(line);
        }
    }

    @Test
    void linesWaitForTheWriterAndArriveInOrderPerWriter() {
        Recorder access = new Recorder();
        Recorder audit = new Recorder();
        try (BatchedLogLines batches = new BatchedLogLines(0)) {
            Consumer<String> toAccess = batches.to(access);
            Consumer<String> toAudit = batches.to(audit);
            for (int i = 0; i < 100; i++) {
                toAccess.accept("a" + i);
                toAudit.accept("b" + i);
            }
            assertEquals(List.of(), access.lines, "the caller only hands the line over");

            batches.drain();

            assertEquals(100, access.lines.size());
            assertEquals(100, audit.lines.size());
            for (int i = 0; i < 100; i++) {
                assertEquals("a" + i, access.lines.get(i));
                assertEquals("b" + i, audit.lines.get(i));
            }
        }
    }

    @Test
    void aFailingLineDoesNotStopTheOthers() {
        Recorder recorder = new Recorder();
        try (BatchedLogLines batches = new BatchedLogLines(0)) {
            Consumer<String> sink = batches.to(line -> {
                if (line.equals("bad")) {
                    throw new IllegalStateException("endpoint down");
                }
                recorder.accept(line);
            });
            sink.accept("one");
            sink.accept("bad");
            sink.accept("two");

            batches.drain();

            assertEquals(List.of("one", "two"), recorder.lines);
            assertEquals(1, batches.failures());
        }
    }

    @Test
    void closeWritesWhatIsWaitingAndLaterLinesAtOnce() {
        Recorder recorder = new Recorder();
        BatchedLogLines batches = new BatchedLogLines(0);
        Consumer<String> sink = batches.to(recorder);
        sink.accept("last words");

        batches.close();
        assertEquals(List.of("last words"), recorder.lines);

        sink.accept("after the end");
        assertEquals(List.of("last words", "after the end"), recorder.lines, "nothing is left in a queue nobody drains");
    }

    @Test
    void pastTheBoundARequestThreadWritesItselfAndTheQueueSaysItIsFull() {
        Recorder recorder = new Recorder();
        try (BatchedLogLines batches = new BatchedLogLines(0)) {
            Consumer<String> sink = batches.to(recorder);
            for (int i = 0; i < BatchedLogLines.MAX_QUEUED; i++) {
                sink.accept("queued");
            }
            assertFalse(batches.hasRoom());
            assertEquals(0, recorder.lines.size());

            sink.accept("overflow");

            assertEquals(List.of("overflow"), recorder.lines, "written at once by the caller, not dropped");
            assertEquals(Thread.currentThread().getName(), recorder.threads.get(0));
            batches.drain();
            assertTrue(batches.hasRoom());
            assertEquals(BatchedLogLines.MAX_QUEUED + 1, recorder.lines.size());
        }
    }

    @Test
    void theBackgroundThreadWritesWithoutBeingAsked() {
        Recorder recorder = new Recorder();
        try (BatchedLogLines batches = new BatchedLogLines(5)) {
            batches.to(recorder).accept("soon");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (recorder.lines.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("soon"), recorder.lines);
            assertEquals("log-lines", recorder.threads.get(0));
        }
    }
}
