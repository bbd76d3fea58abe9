package org.framecache.proxy.multipart;

import java.util.Arrays;

/** A held part's content: a growable byte array bounded by maxPartBytes, trimmed once at the end. */
final class HeldContent implements ContentTarget {

    private static final int DEFAULT_INITIAL_CAPACITY = 16 * 1024;

    private final int maxPartBytes;
    private final int partNumber;
    private final int initialCapacity;
    private byte[] data;
    private int length;

    /** @param declared the part's Content-Length, or -1: the first array is sized for it */
    HeldContent(long declared, int maxPartBytes, int partNumber) {
        this.maxPartBytes = maxPartBytes;
        this.partNumber = partNumber;
        this.initialCapacity = declared >= 0 ? (int) declared : Math.min(DEFAULT_INITIAL_CAPACITY, maxPartBytes);
    }

    @Override
    public int room() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void append(byte[] src, int off, int n) {
        if (n <= 0) {
            return;
        }
        long needed = (long) length + n;
        if (needed > maxPartBytes) {
            throw new MalformedMultipartException("part " + partNumber + " exceeds " + maxPartBytes + " bytes");
        }
        if (data == null) {
            data = new byte[Math.max((int) needed, initialCapacity)];
        } else if (needed > data.length) {
            long grown = Math.max(needed, (long) data.length * 2);
            data = Arrays.copyOf(data, (int) Math.min(grown, maxPartBytes));
        }
        System.arraycopy(src, off, data, length, n);
        length = (int) needed;
    }

    /** @return the bytes appended so far */
    int length() {
        return length;
    }

    byte[] toArray() {
        if (data == null) {
            return new byte[0];
        }
        return length == data.length ? data : Arrays.copyOf(data, length);
    }
}
