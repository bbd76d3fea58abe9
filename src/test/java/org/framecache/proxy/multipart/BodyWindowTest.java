package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class BodyWindowTest {

    /** Answers {@code zeros} reads with no bytes, then reads from {@code data}. */
    private static InputStream zeroReadsThen(int zeros, byte[] data) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        return new InputStream() {
            private int left = zeros;

            @Override
            public int read() {
                throw new AssertionError("single-byte read() must not be used");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left > 0) {
                    left--;
                    return 0;
                }
                return in.read(b, off, len);
            }
        };
    }

    @Test
    void startsWithAVirtualCrlfSoTheFirstDelimiterNeedsNone() {
        BodyWindow w = new BodyWindow(new ByteArrayInputStream(new byte[0]));
        assertEquals(0, w.pos);
        assertEquals(2, w.limit);
        assertEquals('\r', w.buf[0]);
        assertEquals('\n', w.buf[1]);
    }

    @Test
    void aRefillKeepsTheUnconsumedBytesAtTheStartAndForgetsAPause() throws IOException {
        BodyWindow w = new BodyWindow(new ByteArrayInputStream("abcdef".getBytes(US_ASCII)));
        assertTrue(w.fill());
        assertEquals(8, w.limit);
        w.pos = 5; // "\r\nabc" consumed
        w.pausedEnd = 7;
        assertFalse(w.fill(), "the stream is at its end");
        assertTrue(w.eof);
        assertEquals(0, w.pos);
        assertEquals(0, w.pausedEnd);
        assertArrayEquals("def".getBytes(US_ASCII), Arrays.copyOfRange(w.buf, w.pos, w.limit));
    }

    @Test
    void readsOneBlockAtATimeAndNeverMoreThanTheWindow() throws IOException {
        byte[] body = new byte[3 * BodyWindow.BUFFER_SIZE];
        BodyWindow w = new BodyWindow(new ByteArrayInputStream(body));
        assertTrue(w.fill());
        assertEquals(BodyWindow.BUFFER_SIZE, w.limit);
        assertThrows(IllegalStateException.class, w::fill, "nothing consumed: no room to read into");
        w.pos = w.limit;
        assertTrue(w.fill());
        assertEquals(BodyWindow.BUFFER_SIZE, w.limit);
    }

    @Test
    void aFewEmptyReadsAreWaitedOutButNotAThousand() throws IOException {
        BodyWindow patient = new BodyWindow(zeroReadsThen(999, new byte[] {7}));
        assertTrue(patient.fill());
        assertEquals(7, patient.buf[2]);

        BodyWindow stuck = new BodyWindow(zeroReadsThen(1000, new byte[] {7}));
        IOException e = assertThrows(IOException.class, stuck::fill);
        assertEquals("input stream returned no data 1000 times in a row", e.getMessage());
    }
}
