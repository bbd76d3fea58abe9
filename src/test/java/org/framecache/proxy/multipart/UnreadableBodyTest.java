package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Iterator;

import org.junit.jupiter.api.Test;

/**
 * A body the store stops sending: a read that times out is the store being slow (an {@link UncheckedIOException}),
 * not its answer being wrong; a stream that keeps answering with no bytes is an unreadable body. Either way the
 * iteration keeps throwing the same exception.
 */
class UnreadableBodyTest {

    private static final String CT = "multipart/related; boundary=b0und";
    private static final byte[] FIRST_PART = "--b0und\r\nContent-Length: 3\r\n\r\nabc\r\n--b0und\r\n\r\nde"
            .getBytes(US_ASCII);

    /** Delivers {@code data}, then fails every read: with a timeout, or by returning no bytes. */
    private static final class StallingStream extends InputStream {
        private final byte[] data;
        private final boolean timesOut;
        private int pos;

        StallingStream(byte[] data, boolean timesOut) {
            this.data = data;
            this.timesOut = timesOut;
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte read() must not be used");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == data.length) {
                if (timesOut) {
                    throw new SocketTimeoutException("Read timed out");
                }
                return 0;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private final MultipartRelatedReader reader = new MultipartRelatedReader(1 << 20);

    @Test
    void aHeldPartThatStallsIsATimeoutNotAMalformedBody() {
        Iterator<BodyPart> parts = reader.parts(new StallingStream(FIRST_PART, true), CT);
        assertArrayEquals("abc".getBytes(US_ASCII), parts.next().content());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, parts::hasNext);
        assertEquals("upstream body stalled: Read timed out", e.getMessage());
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        assertSame(e, assertThrows(UncheckedIOException.class, parts::next));
    }

    @Test
    void aStreamedPartThatStallsFailsTheReadAndTheIteration() throws IOException {
        Iterator<StreamedPart> parts = reader.partStreams(new StallingStream(FIRST_PART, true), CT);
        assertArrayEquals("abc".getBytes(US_ASCII), parts.next().content().readAllBytes());
        InputStream second = parts.next().content();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, second::readAllBytes);
        assertEquals("upstream body stalled: Read timed out", e.getMessage());
        assertSame(e, assertThrows(UncheckedIOException.class, () -> second.read(new byte[4])));
        assertSame(e, assertThrows(UncheckedIOException.class, parts::hasNext));
    }

    @Test
    void aStreamThatKeepsAnsweringNothingIsUnreadable() {
        Iterator<BodyPart> parts = reader.parts(new StallingStream(FIRST_PART, false), CT);
        assertTrue(parts.hasNext());
        parts.next();
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class, parts::hasNext);
        assertEquals("upstream body could not be read: input stream returned no data 1000 times in a row",
                e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void forTheSplitterAStallIsThrownOnceThenTheIterationIsOver() {
        Iterator<BodyPart> parts = reader.splitParts(new StallingStream(FIRST_PART, true), CT);
        parts.next();
        assertThrows(UncheckedIOException.class, parts::hasNext);
        assertFalse(parts.hasNext());
    }
}
