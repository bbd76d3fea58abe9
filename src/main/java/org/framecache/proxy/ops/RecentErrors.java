package org.framecache.proxy.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last client-facing error answers (status and one-line reason), for the status page: a fixed-size ring,
 * safe to record into from any request thread. Reasons are kept as given; whoever shows them escapes them.
 */
public final class RecentErrors {
    /** How many errors the status page lists. */
    public static final int DEFAULT_CAPACITY = 20;
    private static final int MAX_REASON_CHARS = 500;

    /** One error answer. */
    public record Entry(Instant time, int status, String reason) {
    }

    private final int capacity;
    private final Clock clock;
    private final Deque<Entry> entries;
    private long total;

    public RecentErrors() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public RecentErrors(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.entries = new ArrayDeque<>(capacity);
    }

    public void record(int status, String reason) {
        Entry entry = new Entry(clock.instant(), status, oneLine(reason));
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(entry);
            total++;
        }
    }

    /** The errors kept, newest first. */
    public List<Entry> newestFirst() {
        synchronized (entries) {
            List<Entry> copy = new ArrayList<>(entries.size());
            entries.descendingIterator().forEachRemaining(copy::add);
            return copy;
        }
    }

    /** Every error recorded since start, including those no longer kept. */
    public long total() {
        synchronized (entries) {
            return total;
        }
    }

    public int capacity() {
        return capacity;
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() > MAX_REASON_CHARS ? line.substring(0, MAX_REASON_CHARS) + "…" : line;
    }
}
