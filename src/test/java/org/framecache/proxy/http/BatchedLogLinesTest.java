package org.framecache.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

class BatchedLogLinesTest {

    /** Records each line it is given, with the thread that gave it. */
    private static final class RecordingLogger extends LegacyAbstractLogger {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        RecordingLogger(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
                                                   Throwable throwable) {
            lines.add(message);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    @Test
    void linesWaitForTheWriterAndArriveInOrderPerLogger() {
        RecordingLogger access = new RecordingLogger("access");
        RecordingLogger audit = new RecordingLogger("audit");
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
    void closeWritesWhatIsStillWaiting() {
        RecordingLogger access = new RecordingLogger("access");
        BatchedLogLines batches = new BatchedLogLines(0);
        batches.to(access).accept("last words");

        batches.close();

        assertEquals(List.of("last words"), access.lines);
    }

    @Test
    void pastTheBoundTheCallerWritesItself() {
        RecordingLogger access = new RecordingLogger("access");
        try (BatchedLogLines batches = new BatchedLogLines(0)) {
            Consumer<String> sink = batches.to(access);
            for (int i = 0; i < BatchedLogLines.MAX_QUEUED; i++) {
                sink.accept("queued");
            }
            assertEquals(0, access.lines.size());

            sink.accept("overflow");

            assertEquals(List.of("overflow"), access.lines, "written at once by the caller, not dropped");
            assertEquals(Thread.currentThread().getName(), access.threads.get(0));
            batches.drain();
            assertEquals(BatchedLogLines.MAX_QUEUED + 1, access.lines.size());
        }
    }

    @Test
    void theBackgroundThreadWritesWithoutBeingAsked() throws Exception {
        RecordingLogger access = new RecordingLogger("access");
        try (BatchedLogLines batches = new BatchedLogLines(5)) {
            batches.to(access).accept("soon");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (access.lines.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("soon"), access.lines);
            assertTrue(access.threads.get(0).equals("log-lines"), access.threads.toString());
        }
    }
}
