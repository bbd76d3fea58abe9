package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

/** {@link MultipartRelatedReader#partStreams}: the same parts as {@link MultipartRelatedReader#parts}, never held. */
class MultipartPartStreamsTest {
    private static final String BOUNDARY = "b-7e3a";
    private static final String CT = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;
    private final MultipartRelatedReader reader = new MultipartRelatedReader(1 << 20);

    private static byte[] ascii(String s) {
        return s.getBytes(ISO_8859_1);
    }

    /** A body of the given parts, each with Content-Type and (when asked) Content-Length. */
    private static byte[] body(List<byte[]> contents, boolean lengths, String end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("preamble\r\n"));
        for (byte[] content : contents) {
            out.writeBytes(ascii("\r\n--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n"
                    + (lengths ? "Content-Length: " + content.length + "\r\n" : "") + "\r\n"));
            out.writeBytes(content);
        }
        out.writeBytes(ascii(end));
        return out.toByteArray();
    }

    private static byte[] closed(List<byte[]> contents) {
        return body(contents, true, "\r\n--" + BOUNDARY + "--\r\nepilogue");
    }

    /** Reads a stream with reads of the given size. */
    private static byte[] readAll(InputStream in, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[readSize];
        int n;
        while ((n = in.read(chunk, 0, readSize)) >= 0) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /** Hands out at most {@code most} bytes per read, like a slow socket. */
    private static InputStream trickle(byte[] data, int most) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, most));
            }
        };
    }

    private static List<byte[]> randomContents(Random random) {
        List<byte[]> contents = new ArrayList<>();
        byte[] delimiterLike = ascii("\r\n--" + BOUNDARY);
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            byte[] content = new byte[random.nextInt(5) == 0 ? random.nextInt(3) : random.nextInt(200_000)];
            random.nextBytes(content);
            // delimiter look-alikes, some cut short, inside the data
            for (int k = 0; k < 4 && content.length > delimiterLike.length + 1; k++) {
                System.arraycopy(delimiterLike, 0, content, random.nextInt(content.length - delimiterLike.length),
                        delimiterLike.length - random.nextInt(3));
            }
            contents.add(content);
        }
        return contents;
    }

    @Test
    void everyPartAsStoredWhateverTheReadAndChunkSizes() throws IOException {
        Random random = new Random(11);
        for (int round = 0; round < 6; round++) {
            List<byte[]> contents = randomContents(random);
            byte[] body = closed(contents);
            for (int readSize : new int[] {1, 7, 4096, 1 << 20}) {
                for (int chunk : new int[] {3, 65_537, Integer.MAX_VALUE}) {
                    if (readSize == 1 && chunk == 3 && body.length > 100_000) {
                        continue; // a byte at a time through 3-byte reads: slow, and covered by smaller rounds
                    }
                    Iterator<StreamedPart> parts = reader.partStreams(trickle(body, chunk), CT);
                    for (int i = 0; i < contents.size(); i++) {
                        assertTrue(parts.hasNext());
                        StreamedPart part = parts.next();
                        assertEquals("application/dicom", part.contentType());
                        assertEquals(contents.get(i).length, part.declaredLength());
                        assertArrayEquals(contents.get(i), readAll(part.content(), readSize),
                                "round " + round + " part " + i + " reads " + readSize + " chunks " + chunk);
                    }
                    assertFalse(parts.hasNext());
                }
            }
            // the same parts as the reader that holds them
            Iterator<BodyPart> held = reader.parts(new ByteArrayInputStream(body), CT);
            for (byte[] content : contents) {
                assertArrayEquals(content, held.next().content());
            }
        }
    }

    @Test
    void movingOnSkipsWhatWasLeftUnread() throws IOException {
        List<byte[]> contents = randomContents(new Random(5));
        contents.add(ascii("last"));
        Iterator<StreamedPart> parts = reader.partStreams(new ByteArrayInputStream(closed(contents)), CT);
        for (int i = 0; i < contents.size() - 1; i++) {
            InputStream content = parts.next().content();
            byte[] some = new byte[Math.min(10, contents.get(i).length)];
            assertEquals(some.length, content.readNBytes(some, 0, some.length));
        }
        StreamedPart last = parts.next();
        assertArrayEquals(ascii("last"), last.content().readAllBytes());
        assertFalse(parts.hasNext());
    }

    @Test
    void aPartFarLargerThanTheReadersLimitIsStreamedNotHeld() throws IOException {
        long size = 96L << 20; // 96 MiB of content that exists nowhere whole, not in the body either
        InputStream head = new ByteArrayInputStream(ascii("--" + BOUNDARY + "\r\nContent-Length: " + size + "\r\n\r\n"));
        InputStream content = new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? (int) (left & 0x7f) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (--left & 0x7f);
                }
                return n;
            }
        };
        InputStream tail = new ByteArrayInputStream(ascii("\r\n--" + BOUNDARY + "--"));
        InputStream body = new SequenceInputStream(new SequenceInputStream(head, content), tail);
        MultipartRelatedReader small = new MultipartRelatedReader(1024);
        StreamedPart part = small.partStreams(body, CT).next();
        CRC32 streamed = new CRC32();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        for (int n; (n = part.content().read(chunk)) >= 0; total += n) {
            streamed.update(chunk, 0, n);
        }
        CRC32 expected = new CRC32();
        for (long left = size; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            for (int i = 0; i < n; i++) {
                chunk[i] = (byte) (--left & 0x7f);
            }
            expected.update(chunk, 0, n);
        }
        assertEquals(size, total);
        assertEquals(expected.getValue(), streamed.getValue());
        // the held reader refuses the same part outright
        assertThrows(MalformedMultipartException.class, () -> small.parts(new ByteArrayInputStream(
                ascii("--" + BOUNDARY + "\r\nContent-Length: " + size + "\r\n\r\n")), CT).next());
    }

    @Test
    void endOfStreamEndsTheLastPartOnlyWhenItsLengthSaysSo() throws IOException {
        byte[] content = ascii("pixel data");
        byte[] exact = body(List.of(content), true, "");
        assertArrayEquals(content, reader.partStreams(new ByteArrayInputStream(exact), CT).next().content().readAllBytes());
        byte[] withCrlf = body(List.of(content), true, "\r\n");
        assertArrayEquals(content, reader.partStreams(new ByteArrayInputStream(withCrlf), CT).next().content().readAllBytes());

        byte[] noLength = body(List.of(content), false, "");
        InputStream unknown = reader.partStreams(new ByteArrayInputStream(noLength), CT).next().content();
        assertThrows(MalformedMultipartException.class, unknown::readAllBytes);
        byte[] cut = body(List.of(content), true, "");
        InputStream truncated = reader.partStreams(new ByteArrayInputStream(cut, 0, cut.length - 3), CT).next().content();
        assertThrows(MalformedMultipartException.class, truncated::readAllBytes);
    }

    @Test
    void aBodyGivenUpOnEndsTheIterationQuietly() {
        byte[] body = closed(List.of(ascii("first"), ascii("second"), ascii("third")));
        class Stoppable extends FilterInputStream implements StoppableBody {
            boolean stopped;

            Stoppable() {
                super(new ByteArrayInputStream(body));
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (stopped) {
                    throw new IOException("Attempted read on closed stream");
                }
                return super.read(b, off, len);
            }

            @Override
            public boolean isStopped() {
                return stopped;
            }
        }
        Stoppable in = new Stoppable();
        Iterator<BodyPart> parts = reader.parts(in, CT);
        assertArrayEquals(ascii("first"), parts.next().content());
        in.stopped = true; // the consumer has its answer and dropped the connection
        assertFalse(parts.hasNext());
    }

    @Test
    void aWrongContentLengthOrABrokenBodyFailsTheRead() {
        byte[] lying = closed(List.of(ascii("twelve bytes"))).clone();
        String text = new String(lying, ISO_8859_1).replace("Content-Length: 12", "Content-Length: 13");
        InputStream mismatch = reader.partStreams(new ByteArrayInputStream(ascii(text)), CT).next().content();
        assertThrows(MalformedMultipartException.class, mismatch::readAllBytes);

        byte[] body = closed(List.of(new byte[100_000]));
        InputStream broken = new FilterInputStream(new ByteArrayInputStream(body, 0, 50_000)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        Iterator<StreamedPart> parts = reader.partStreams(broken, CT);
        InputStream failing = parts.next().content();
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class, failing::readAllBytes);
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertThrows(MalformedMultipartException.class, parts::hasNext, "the failure stays");
    }
}
