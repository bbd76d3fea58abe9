package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DelimiterScannerTest {

    private static final byte[] BOUNDARY = "b0und".getBytes(US_ASCII);

    /** Collects what the scan hands over, taking at most {@code room} bytes a scan. */
    private static final class Collected implements ContentTarget {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int room;
        int taken;

        Collected(int room) {
            this.room = room;
        }

        @Override
        public int room() {
            return room - taken;
        }

        @Override
        public void append(byte[] src, int off, int n) {
            bytes.write(src, off, n);
            taken += n;
        }
    }

    /** The first read returns {@code first} bytes at most, later ones as many as asked for. */
    private static InputStream splitAt(byte[] body, int first) {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new InputStream() {
            private boolean started;

            @Override
            public int read() {
                throw new AssertionError("single-byte read() must not be used");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = started ? len : Math.min(len, first);
                started = true;
                return in.read(b, off, n);
            }
        };
    }

    private static BodyWindow window(InputStream in) {
        return new BodyWindow(in);
    }

    @Test
    void aDelimiterSplitAcrossRefillsIsFoundWhereverTheCutFalls() throws IOException {
        String content = "part one \r\n--b0unX \r\n-- almost";
        byte[] body = ("preamble\r\n--b0und\r\n" + content + "\r\n--b0und  \r\nnext").getBytes(US_ASCII);
        for (int cut = 1; cut <= body.length; cut++) {
            BodyWindow w = window(splitAt(body, cut));
            DelimiterScanner scanner = new DelimiterScanner(w, new Delimiter(BOUNDARY));
            assertEquals(DelimiterScanner.FOUND_PART, scanner.scan(null), "cut " + cut);
            Collected part = new Collected(Integer.MAX_VALUE);
            assertEquals(DelimiterScanner.FOUND_PART, scanner.scan(part), "cut " + cut);
            assertEquals(content, part.bytes.toString(US_ASCII), "cut " + cut);
            while (w.limit - w.pos < 4 && !w.eof) {
                w.fill();
            }
            assertEquals("next", new String(w.buf, w.pos, w.limit - w.pos, US_ASCII), "cut " + cut);
        }
    }

    @Test
    void aTargetWithLittleRoomPausesTheScanWhichResumesWhereItStopped() throws IOException {
        byte[] content = new byte[3 * BodyWindow.BUFFER_SIZE + 11];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("--b0und\r\n".getBytes(US_ASCII));
        body.writeBytes(content);
        body.writeBytes("\r\n--b0und--".getBytes(US_ASCII));
        BodyWindow w = window(new ByteArrayInputStream(body.toByteArray()));
        DelimiterScanner scanner = new DelimiterScanner(w, new Delimiter(BOUNDARY));
        assertEquals(DelimiterScanner.FOUND_PART, scanner.scan(null));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int pauses = 0;
        int r;
        do {
            Collected some = new Collected(1000);
            r = scanner.scan(some);
            all.writeBytes(some.bytes.toByteArray());
            if (r == DelimiterScanner.PAUSED) {
                pauses++;
                assertEquals(1000, some.taken);
                assertTrue(w.pausedEnd > w.pos, "the bytes known to be content are remembered");
            }
        } while (r == DelimiterScanner.PAUSED);
        assertEquals(DelimiterScanner.FOUND_END, r);
        assertArrayEquals(content, all.toByteArray());
        assertTrue(pauses >= content.length / 1000, "pauses " + pauses);
    }

    @Test
    void paddingThatFillsTheWholeWindowIsRefused() {
        byte[] padding = new byte[2 * BodyWindow.BUFFER_SIZE];
        Arrays.fill(padding, (byte) ' ');
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("--b0und".getBytes(US_ASCII));
        body.writeBytes(padding);
        DelimiterScanner scanner = new DelimiterScanner(window(new ByteArrayInputStream(body.toByteArray())),
                new Delimiter(BOUNDARY));
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class, () -> scanner.scan(null));
        assertEquals("transport padding after boundary delimiter too long", e.getMessage());
    }

    @Test
    void aPartEndedByTheStreamEndsThereOnlyAsLongAsItsContentLengthSays() throws IOException {
        byte[] body = "--b0und\r\nH: v\r\n\r\nabcdefghijklmnop\r\n".getBytes(US_ASCII);
        for (long declared : new long[] {16, 18, 17, -1}) {
            BodyWindow w = window(new ByteArrayInputStream(body));
            DelimiterScanner scanner = new DelimiterScanner(w, new Delimiter(BOUNDARY));
            assertEquals(DelimiterScanner.FOUND_PART, scanner.scan(null));
            PartHeaderReader.read(w, 1);
            Collected part = new Collected(Integer.MAX_VALUE);
            assertEquals(DelimiterScanner.NOT_FOUND, scanner.scan(part));
            assertEquals(18, part.taken + w.limit - w.pos, "every byte after the headers is read");
            if (declared == 16) {
                assertEquals(2, scanner.tailToDrop(part.taken, declared, 1), "a closing CRLF is not content");
            } else if (declared == 18) {
                assertEquals(0, scanner.tailToDrop(part.taken, declared, 1));
            } else {
                MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                        () -> scanner.tailToDrop(part.taken, declared, 1));
                assertEquals("multipart body truncated: part 1 not terminated by a boundary delimiter (received 18"
                        + (declared < 0 ? " bytes, no Content-Length)" : " bytes, declared Content-Length 17)"),
                        e.getMessage());
            }
        }
    }
}
