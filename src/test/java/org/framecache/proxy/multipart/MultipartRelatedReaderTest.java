package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartRelatedReaderTest {

    private static final String BOUNDARY = "frame-boundary-6f1d";
    private static final String CT = "multipart/related; type=\"application/octet-stream\"; boundary=" + BOUNDARY;
    private static final int MAX = 1 << 20;

    private final MultipartRelatedReader reader = new MultipartRelatedReader(MAX);

    // ------------------------------------------------------------------ helpers

    private static byte[] ascii(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    /** A tiny, independent multipart writer used for round trips. */
    private static final class Writer {
        private final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private boolean first = true;

        Writer(String boundary) {
            this.boundary = boundary;
        }

        Writer preamble(String text) {
            out.writeBytes(ascii(text));
            out.writeBytes(ascii("\r\n"));
            return this;
        }

        Writer part(Map<String, String> headers, byte[] content) {
            out.writeBytes(ascii((first ? "" : "\r\n") + "--" + boundary + "\r\n"));
            first = false;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                out.writeBytes(ascii(h.getKey() + ": " + h.getValue() + "\r\n"));
            }
            out.writeBytes(ascii("\r\n"));
            out.writeBytes(content);
            return this;
        }

        Writer part(String contentType, byte[] content) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", contentType);
            h.put("Content-Length", Integer.toString(content.length));
            return part(h, content);
        }

        byte[] close(String epilogue) {
            out.writeBytes(ascii("\r\n--" + boundary + "--"));
            out.writeBytes(ascii(epilogue));
            return out.toByteArray();
        }

        byte[] close() {
            return close("\r\n");
        }
    }

    private List<BodyPart> readAll(byte[] body) {
        return readAll(new ByteArrayInputStream(body), CT);
    }

    private List<BodyPart> readAll(InputStream in, String contentType) {
        return readAll(reader, in, contentType);
    }

    private static List<BodyPart> readAll(MultipartRelatedReader r, InputStream in, String contentType) {
        List<BodyPart> parts = new ArrayList<>();
        Iterator<BodyPart> it = r.parts(in, contentType);
        while (it.hasNext()) {
            parts.add(it.next());
        }
        return parts;
    }

    private MalformedMultipartException assertMalformed(byte[] body) {
        return assertThrows(MalformedMultipartException.class, () -> readAll(body));
    }

    /** Returns 1 byte per read call. */
    private static final class OneByteStream extends FilterInputStream {
        OneByteStream(byte[] data) {
            super(new ByteArrayInputStream(data));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }

    /** Returns chunks of odd, varying sizes. */
    private static final class OddChunkStream extends FilterInputStream {
        private static final int[] SIZES = {1, 3, 7, 2, 13, 5, 1021, 17, 4099, 9, 65537, 31};
        private int call;

        OddChunkStream(byte[] data) {
            super(new ByteArrayInputStream(data));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, SIZES[call++ % SIZES.length]));
        }
    }

    /** Fails with an IOException after delivering {@code failAfter} bytes; records close(). */
    private static final class FailingStream extends InputStream {
        private final byte[] data;
        private final int failAfter;
        private int pos;
        boolean closed;

        FailingStream(byte[] data, int failAfter) {
            this.data = data;
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            throw new AssertionError("single-byte read() must not be used");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= failAfter) {
                throw new IOException("connection reset");
            }
            int n = Math.min(len, Math.min(failAfter, data.length) - pos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ basic structure

    @Test
    void singlePart() {
        byte[] body = new Writer(BOUNDARY).part("application/octet-stream", ascii("hello")).close();
        List<BodyPart> parts = readAll(body);
        assertEquals(1, parts.size());
        BodyPart p = parts.get(0);
        assertArrayEquals(ascii("hello"), p.content());
        assertEquals("application/octet-stream", p.contentType());
        assertEquals(5, p.declaredLength());
        assertEquals("5", p.headers().get("content-length"));
    }

    @Test
    void severalPartsInOrderWithExactBytesAndHeaders() {
        Map<String, String> h1 = new LinkedHashMap<>();
        h1.put("Content-Type", "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50");
        h1.put("Content-Location", "/studies/1/series/2/instances/3/frames/1");
        Map<String, String> h2 = new LinkedHashMap<>();
        h2.put("CONTENT-TYPE", "application/octet-stream");
        h2.put("X-Custom", "  padded value  ");
        byte[] body = new Writer(BOUNDARY)
                .part(h1, ascii("first"))
                .part(h2, ascii("second part"))
                .part("application/octet-stream", ascii("third"))
                .close();
        List<BodyPart> parts = readAll(body);
        assertEquals(3, parts.size());
        assertArrayEquals(ascii("first"), parts.get(0).content());
        assertArrayEquals(ascii("second part"), parts.get(1).content());
        assertArrayEquals(ascii("third"), parts.get(2).content());
        assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", parts.get(0).contentType());
        assertEquals("/studies/1/series/2/instances/3/frames/1", parts.get(0).headers().get("content-location"));
        assertEquals(List.of("content-type", "content-location"), List.copyOf(parts.get(0).headers().keySet()));
        assertEquals(-1, parts.get(0).declaredLength());
        assertEquals("application/octet-stream", parts.get(1).contentType());
        assertEquals("padded value", parts.get(1).headers().get("x-custom"));
        assertEquals(5, parts.get(2).declaredLength());
        assertThrows(UnsupportedOperationException.class, () -> parts.get(0).headers().put("a", "b"));
    }

    @Test
    void preambleAndEpilogueAreIgnored() {
        byte[] body = new Writer(BOUNDARY)
                .preamble("This is the preamble.\r\n--" + BOUNDARY + "X not a delimiter\r\n-- " + BOUNDARY)
                .part("text/plain", ascii("body"))
                .close("\r\nThis is the epilogue.\r\n--" + BOUNDARY + "\r\nContent-Type: a/b\r\n\r\nignored\r\n");
        List<BodyPart> parts = readAll(body);
        assertEquals(1, parts.size());
        assertArrayEquals(ascii("body"), parts.get(0).content());
    }

    @Test
    void epilogueIsNotRead() throws IOException {
        byte[] head = new Writer(BOUNDARY).part("text/plain", ascii("x")).close("");
        InputStream in = new InputStream() {
            int i;

            @Override
            public int read() {
                throw new AssertionError();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= head.length) {
                    throw new AssertionError("read beyond the close delimiter");
                }
                int n = Math.min(len, head.length - i);
                System.arraycopy(head, i, b, off, n);
                i += n;
                return n;
            }
        };
        assertEquals(1, readAll(in, CT).size());
    }

    @Test
    void firstDelimiterWithAndWithoutLeadingCrlf() {
        byte[] noCrlf = ascii("--" + BOUNDARY + "\r\n\r\nA\r\n--" + BOUNDARY + "--");
        byte[] withCrlf = ascii("\r\n--" + BOUNDARY + "\r\n\r\nA\r\n--" + BOUNDARY + "--");
        assertArrayEquals(ascii("A"), readAll(noCrlf).get(0).content());
        assertArrayEquals(ascii("A"), readAll(withCrlf).get(0).content());
        // "x--boundary" is not a delimiter (not at start, not preceded by CRLF): it is preamble,
        // so the following close delimiter ends an empty multipart
        byte[] preambleWithoutCrlf = ascii("x--" + BOUNDARY + "\r\n\r\nA\r\n--" + BOUNDARY + "--");
        assertEquals(0, readAll(preambleWithoutCrlf).size());
        // ... and without a real delimiter there is no boundary at all
        MalformedMultipartException e = assertMalformed(ascii("x--" + BOUNDARY + "\r\n\r\nA"));
        assertTrue(e.getMessage().contains("no multipart boundary"), e.getMessage());
    }

    @Test
    void transportPaddingAfterDelimiters() {
        byte[] body = ascii("--" + BOUNDARY + " \t \r\nContent-Type: a/b\r\n\r\nA\r\n--" + BOUNDARY
                + "\t\t\r\n\r\nB\r\n--" + BOUNDARY + "--  \r\n");
        List<BodyPart> parts = readAll(body);
        assertEquals(2, parts.size());
        assertArrayEquals(ascii("A"), parts.get(0).content());
        assertEquals("a/b", parts.get(0).contentType());
        assertArrayEquals(ascii("B"), parts.get(1).content());
        assertEquals(Map.of(), parts.get(1).headers());
    }

    @Test
    void paddingFollowedByOtherCharacterIsData() {
        byte[] content = ascii("x\r\n--" + BOUNDARY + "  y\r\nmore");
        byte[] body = new Writer(BOUNDARY).part("a/b", content).close();
        assertArrayEquals(content, readAll(body).get(0).content());
    }

    // ------------------------------------------------------------------ boundary-like data

    @Test
    void boundaryStringsInsideDataAreNotDelimiters() {
        String[] tricky = {
            "--" + BOUNDARY,                         // not preceded by CRLF
            "abc--" + BOUNDARY + "--",               // not preceded by CRLF, close-like
            "\n--" + BOUNDARY + "\r\n",              // only LF before
            "\r--" + BOUNDARY + "\r\n",              // only CR before
            "\r\n--" + BOUNDARY + "X\r\n",           // suffix character: longer token
            "\r\n--" + BOUNDARY + "-x",              // single dash then other char
            "\r\n--" + BOUNDARY + "\rX",             // CR not followed by LF
            "\r\n--" + BOUNDARY + "Y\n",             // other character then bare LF
            "\r\n--" + BOUNDARY + " \t\n",          // padding then bare LF
            "\r\n--" + BOUNDARY.substring(0, 10),   // prefix of boundary
            "\r\n-" + BOUNDARY + "\r\n",             // one dash only
            "\r\n--" + BOUNDARY.toUpperCase() + "\r\n", // case differs
        };
        Writer w = new Writer(BOUNDARY);
        for (String t : tricky) {
            w.part("a/b", ascii("data " + t + " tail"));
        }
        List<BodyPart> parts = readAll(w.close());
        assertEquals(tricky.length, parts.size());
        for (int i = 0; i < tricky.length; i++) {
            assertArrayEquals(ascii("data " + tricky[i] + " tail"), parts.get(i).content(), "part " + i);
        }
    }

    @Test
    void boundaryThatIsPrefixOfLongerTokenInDataDoesNotSplitPart() {
        String boundary = "abc";
        String ct = "multipart/related; boundary=abc";
        byte[] content = ascii("line1\r\n--abcdef\r\n--abc_\r\n--abc-def\r\nend");
        byte[] body = new Writer(boundary).part("a/b", content).part("a/b", ascii("two")).close();
        List<BodyPart> parts = readAll(new ByteArrayInputStream(body), ct);
        assertEquals(2, parts.size());
        assertArrayEquals(content, parts.get(0).content());
        assertArrayEquals(ascii("two"), parts.get(1).content());
    }

    @Test
    void crlfBeforeDelimiterBelongsToDelimiter() {
        byte[] body = ascii("--" + BOUNDARY + "\r\n\r\nA\r\n\r\n--" + BOUNDARY + "\r\n\r\n\r\n\r\n--" + BOUNDARY
                + "\r\n\r\n\r\n--" + BOUNDARY + "--");
        List<BodyPart> parts = readAll(body);
        assertEquals(3, parts.size());
        assertArrayEquals(ascii("A\r\n"), parts.get(0).content());
        assertArrayEquals(ascii("\r\n"), parts.get(1).content());
        assertArrayEquals(new byte[0], parts.get(2).content());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\r\n-", "\r\n--", "\r\n", "\n", "-", "--", "\r\r", "\r\n\r", "\r\n--frame"})
    void dataEndingInDelimiterLikeBytes(String suffix) {
        byte[] content = ascii("payload" + suffix);
        byte[] body = new Writer(BOUNDARY).part("a/b", content).part("a/b", ascii(suffix)).close();
        List<BodyPart> parts = readAll(body);
        assertEquals(2, parts.size());
        assertArrayEquals(content, parts.get(0).content());
        assertArrayEquals(ascii(suffix), parts.get(1).content());
        // and byte by byte
        List<BodyPart> slow = readAll(new OneByteStream(body), CT);
        assertArrayEquals(content, slow.get(0).content());
        assertArrayEquals(ascii(suffix), slow.get(1).content());
    }

    @Test
    void fakeDelimitersAcrossBufferBoundaries() {
        // Place "\r\n--boundaryX" at every offset around the 64 KiB internal buffer size.
        String fake = "\r\n--" + BOUNDARY + "X";
        for (int offset = 65536 - 120; offset < 65536 + 40; offset++) {
            byte[] content = new byte[70000];
            Arrays.fill(content, (byte) 'a');
            System.arraycopy(ascii(fake), 0, content, offset, fake.length());
            byte[] body = new Writer(BOUNDARY).part("a/b", content).part("a/b", ascii("z")).close();
            List<BodyPart> parts = readAll(body);
            assertEquals(2, parts.size(), "offset " + offset);
            assertArrayEquals(content, parts.get(0).content(), "offset " + offset);
        }
    }

    @Test
    void realDelimitersAcrossBufferBoundaries() {
        for (int size = 65536 - 100; size < 65536 + 20; size++) {
            byte[] content = new byte[size];
            Arrays.fill(content, (byte) '\r');
            byte[] body = new Writer(BOUNDARY).part("a/b", content).part("a/b", ascii("z")).close();
            List<BodyPart> parts = readAll(body);
            assertEquals(2, parts.size(), "size " + size);
            assertArrayEquals(content, parts.get(0).content(), "size " + size);
            assertArrayEquals(ascii("z"), parts.get(1).content());
        }
    }

    // ------------------------------------------------------------------ binary safety

    @Test
    void allByteValuesRoundTrip() {
        byte[] all = allByteValues();
        byte[] reversed = new byte[256];
        for (int i = 0; i < 256; i++) {
            reversed[i] = all[255 - i];
        }
        byte[] body = new Writer(BOUNDARY).part("a/b", all).part("a/b", reversed).part("a/b", concat(all, all)).close();
        for (Function<byte[], InputStream> f : streams()) {
            List<BodyPart> parts = readAll(f.apply(body), CT);
            assertEquals(3, parts.size());
            assertArrayEquals(all, parts.get(0).content());
            assertArrayEquals(reversed, parts.get(1).content());
            assertArrayEquals(concat(all, all), parts.get(2).content());
        }
    }

    private static List<Function<byte[], InputStream>> streams() {
        return List.of(ByteArrayInputStream::new, OneByteStream::new, OddChunkStream::new);
    }

    @Test
    void randomBinaryPayloadsRoundTrip() {
        Random rnd = new Random(0x5EEDL);
        for (int round = 0; round < 20; round++) {
            int n = 1 + rnd.nextInt(8);
            List<byte[]> contents = new ArrayList<>();
            Writer w = new Writer(BOUNDARY);
            if (rnd.nextBoolean()) {
                w.preamble("preamble " + round);
            }
            for (int i = 0; i < n; i++) {
                int size = rnd.nextInt(5) == 0 ? rnd.nextInt(4) : rnd.nextInt(150_000);
                byte[] c = random(rnd, size);
                // sprinkle delimiter-like fragments into the payload
                byte[] frag = ascii("\r\n--" + BOUNDARY);
                for (int k = 0; k < 5 && size > frag.length + 1; k++) {
                    int at = rnd.nextInt(size - frag.length);
                    System.arraycopy(frag, 0, c, at, frag.length - 1 - rnd.nextInt(3));
                }
                contents.add(c);
                w.part("application/octet-stream", c);
            }
            byte[] body = w.close("epilogue " + round);
            for (Function<byte[], InputStream> f : List.<Function<byte[], InputStream>>of(
                    ByteArrayInputStream::new, OddChunkStream::new)) {
                List<BodyPart> parts = readAll(f.apply(body), CT);
                assertEquals(n, parts.size(), "round " + round);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(contents.get(i), parts.get(i).content(), "round " + round + " part " + i);
                    assertEquals(contents.get(i).length, parts.get(i).declaredLength());
                }
            }
        }
    }

    @Test
    void randomPayloadsOneByteAtATime() {
        Random rnd = new Random(42);
        List<byte[]> contents = List.of(random(rnd, 3000), random(rnd, 1), random(rnd, 0), random(rnd, 777));
        Writer w = new Writer(BOUNDARY).preamble("pre");
        contents.forEach(c -> w.part("a/b", c));
        byte[] body = w.close();
        List<BodyPart> parts = readAll(new OneByteStream(body), CT);
        assertEquals(contents.size(), parts.size());
        for (int i = 0; i < contents.size(); i++) {
            assertArrayEquals(contents.get(i), parts.get(i).content());
        }
    }

    // ------------------------------------------------------------------ termination / truncation

    @Test
    void missingCloseDelimiterAfterDelimiterLineIsTolerated() {
        byte[] body = ascii("--" + BOUNDARY + "\r\n\r\nA\r\n--" + BOUNDARY + "\r\n");
        List<BodyPart> parts = readAll(body);
        assertEquals(1, parts.size());
        assertArrayEquals(ascii("A"), parts.get(0).content());
        assertEquals(1, readAll(new OneByteStream(body), CT).size());
    }

    @Test
    void delimiterAtEofWithoutLineEndIsTolerated() {
        for (String end : new String[] {"", " ", "\r", "-", "  \r"}) {
            byte[] body = ascii("--" + BOUNDARY + "\r\n\r\nA\r\n--" + BOUNDARY + end);
            List<BodyPart> parts = readAll(body);
            assertEquals(1, parts.size(), "end=" + end.replace("\r", "CR"));
            assertArrayEquals(ascii("A"), parts.get(0).content());
        }
    }

    @Test
    void closeDelimiterOnlyGivesNoParts() {
        assertEquals(0, readAll(ascii("--" + BOUNDARY + "--\r\n")).size());
        assertEquals(0, readAll(ascii("--" + BOUNDARY + "\r\n")).size());
    }

    @Test
    void eofTerminatedPartWithMatchingContentLengthIsAccepted() {
        byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Type: a/b\r\n\r\nfirst\r\n--" + BOUNDARY
                + "\r\nContent-Length: 6\r\n\r\nlast\r\n");
        // "last\r\n" is 6 bytes: exact match (the CRLF is content)
        List<BodyPart> parts = readAll(body);
        assertEquals(2, parts.size());
        assertArrayEquals(ascii("first"), parts.get(0).content());
        assertArrayEquals(ascii("last\r\n"), parts.get(1).content());

        byte[] exact = ascii("--" + BOUNDARY + "\r\nContent-Length: 4\r\n\r\nlast");
        assertArrayEquals(ascii("last"), readAll(exact).get(0).content());

        byte[] trailingCrlf = ascii("--" + BOUNDARY + "\r\nContent-Length: 4\r\n\r\nlast\r\n");
        assertArrayEquals(ascii("last"), readAll(trailingCrlf).get(0).content());
        assertArrayEquals(ascii("last"), readAll(new OneByteStream(trailingCrlf), CT).get(0).content());

        byte[] emptyWithLength = ascii("--" + BOUNDARY + "\r\nContent-Length: 0\r\n\r\n");
        assertArrayEquals(new byte[0], readAll(emptyWithLength).get(0).content());
    }

    @Test
    void eofTerminatedLargePartWithContentLength() {
        byte[] content = random(new Random(7), 200_000);
        byte[] body = concat(ascii("--" + BOUNDARY + "\r\nContent-Length: " + content.length + "\r\n\r\n"), content);
        assertArrayEquals(content, readAll(body).get(0).content());
        assertArrayEquals(content, readAll(new OddChunkStream(body), CT).get(0).content());
    }

    @Test
    void eofMidPartWithoutContentLengthIsTruncation() {
        byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Type: a/b\r\n\r\nfirst\r\n--" + BOUNDARY
                + "\r\nContent-Type: a/b\r\n\r\nthis was cut o");
        Iterator<BodyPart> it = reader.parts(new ByteArrayInputStream(body), CT);
        assertTrue(it.hasNext());
        assertArrayEquals(ascii("first"), it.next().content());
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class, it::hasNext);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // the iterator stays failed
        assertSame(e, assertThrows(MalformedMultipartException.class, it::hasNext));
        assertSame(e, assertThrows(MalformedMultipartException.class, it::next));
    }

    @Test
    void forTheSplitterTheFailureIsThrownOnceThenTheIteratorIsAtItsEnd() {
        byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Type: a/b\r\n\r\nfirst\r\n--" + BOUNDARY
                + "\r\nContent-Type: a/b\r\n\r\nthis was cut o");
        Iterator<BodyPart> it = reader.splitParts(new ByteArrayInputStream(body), CT);
        assertArrayEquals(ascii("first"), it.next().content());
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class, it::hasNext);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void eofMidPartWithNonMatchingContentLengthIsTruncation() {
        for (String tail : new String[] {"abc", "abcd\r\n", "abcdef\r\n", "abcde\n", "abcd\r\n\r\n"}) {
            byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Length: 5\r\n\r\n" + tail);
            MalformedMultipartException e = assertMalformed(body);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        byte[] noHeadersNoContent = ascii("--" + BOUNDARY + "\r\n\r\n");
        assertTrue(assertMalformed(noHeadersNoContent).getMessage().contains("truncated"));
    }

    @Test
    void eofInsideHeadersIsTruncation() {
        byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Type: a/b\r\nContent-Len");
        MalformedMultipartException e = assertMalformed(body);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void contentLengthMismatchIsRejected() {
        byte[] tooShort = ascii("--" + BOUNDARY + "\r\nContent-Length: 10\r\n\r\nabc\r\n--" + BOUNDARY + "--");
        MalformedMultipartException e = assertMalformed(tooShort);
        assertTrue(e.getMessage().contains("mismatch"), e.getMessage());
        byte[] tooLong = ascii("--" + BOUNDARY + "\r\nContent-Length: 2\r\n\r\nabc\r\n--" + BOUNDARY + "--");
        assertTrue(assertMalformed(tooLong).getMessage().contains("mismatch"));
    }

    @Test
    void invalidContentLengthIsIgnored() {
        byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Length: twelve\r\n\r\nabc\r\n--" + BOUNDARY + "--");
        BodyPart p = readAll(body).get(0);
        assertArrayEquals(ascii("abc"), p.content());
        assertEquals(-1, p.declaredLength());
    }

    @Test
    void noDelimiterAtAll() {
        assertTrue(assertMalformed(new byte[0]).getMessage().contains("no multipart boundary"));
        assertTrue(assertMalformed(ascii("just some text\r\nwithout boundary")).getMessage()
                .contains("no multipart boundary"));
        assertTrue(assertMalformed(ascii("--other\r\n\r\nx\r\n--other--")).getMessage()
                .contains("no multipart boundary"));
    }

    // ------------------------------------------------------------------ part shapes

    @Test
    void emptyPartIsReturned() {
        byte[] body = new Writer(BOUNDARY).part("a/b", new byte[0]).part("a/b", ascii("x")).close();
        List<BodyPart> parts = readAll(body);
        assertEquals(2, parts.size());
        assertEquals(0, parts.get(0).content().length);
        assertEquals(0, parts.get(0).declaredLength());
        assertArrayEquals(ascii("x"), parts.get(1).content());
    }

    @Test
    void partWithoutHeaders() {
        byte[] body = ascii("--" + BOUNDARY + "\r\n\r\nno headers here\r\n--" + BOUNDARY + "\r\n\r\n\r\n--"
                + BOUNDARY + "--");
        List<BodyPart> parts = readAll(body);
        assertEquals(2, parts.size());
        assertTrue(parts.get(0).headers().isEmpty());
        assertNull(parts.get(0).contentType());
        assertEquals(-1, parts.get(0).declaredLength());
        assertArrayEquals(ascii("no headers here"), parts.get(0).content());
        assertArrayEquals(new byte[0], parts.get(1).content());
    }

    @Test
    void lfOnlyAndFoldedHeaders() {
        byte[] body = ascii("--" + BOUNDARY + "\r\nContent-Type: image/jpeg;\n transfer-syntax=1.2.3\nX-A:1\r\n"
                + "x-a:  2 \nContent-Location:\n\t/frames/1\n\nDATA\r\n--" + BOUNDARY
                + "\r\nContent-Type: a/b\n\nDATA2\r\n--" + BOUNDARY + "--");
        List<BodyPart> parts = readAll(body);
        assertEquals(2, parts.size());
        BodyPart p = parts.get(0);
        assertEquals("image/jpeg; transfer-syntax=1.2.3", p.contentType());
        assertEquals("1, 2", p.headers().get("x-a"));
        assertEquals("/frames/1", p.headers().get("content-location"));
        assertArrayEquals(ascii("DATA"), p.content());
        assertEquals("a/b", parts.get(1).contentType());
        assertArrayEquals(ascii("DATA2"), parts.get(1).content());
    }

    @Test
    void malformedHeaderLinesAreRejected() {
        for (String bad : new String[] {"NoColonHere", ": empty name", " folded first line", "Bad Name: x"}) {
            byte[] body = ascii("--" + BOUNDARY + "\r\n" + bad + "\r\n\r\nX\r\n--" + BOUNDARY + "--");
            MalformedMultipartException e = assertMalformed(body);
            assertTrue(e.getMessage().contains("header"), e.getMessage());
        }
    }

    @Test
    void headerBlockLimit() {
        String big = "X-Big: " + "a".repeat(16 * 1024) + "\r\n";
        byte[] body = ascii("--" + BOUNDARY + "\r\n" + big + "\r\nX\r\n--" + BOUNDARY + "--");
        MalformedMultipartException e = assertMalformed(body);
        assertTrue(e.getMessage().contains("headers exceed"), e.getMessage());
        assertThrows(MalformedMultipartException.class, () -> readAll(new OddChunkStream(body), CT));

        String manyLines = "X-L: v\r\n".repeat(3000); // 24000 bytes of short lines
        byte[] body2 = ascii("--" + BOUNDARY + "\r\n" + manyLines + "\r\nX\r\n--" + BOUNDARY + "--");
        assertTrue(assertMalformed(body2).getMessage().contains("headers exceed"));

        String justUnder = "X-Big: " + "a".repeat(16 * 1024 - 12) + "\r\n"; // 16381 bytes + 2-byte empty line = 16383
        byte[] ok = ascii("--" + BOUNDARY + "\r\n" + justUnder + "\r\nX\r\n--" + BOUNDARY + "--");
        assertEquals(16 * 1024 - 12, readAll(ok).get(0).headers().get("x-big").length());
    }

    @Test
    void oversizedPartIsRejected() {
        MultipartRelatedReader small = new MultipartRelatedReader(1000);
        byte[] ok = new Writer(BOUNDARY).part("a/b", new byte[1000]).close();
        assertEquals(1000, readAll(small, new ByteArrayInputStream(ok), CT).get(0).content().length);

        Map<String, String> noLength = Map.of("Content-Type", "a/b");
        byte[] tooBig = new Writer(BOUNDARY).part(noLength, new byte[1001]).close();
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> readAll(small, new ByteArrayInputStream(tooBig), CT));
        assertTrue(e.getMessage().contains("exceeds 1000 bytes"), e.getMessage());

        // declared too large: rejected before reading the content
        byte[] declared = ascii("--" + BOUNDARY + "\r\nContent-Length: 5000\r\n\r\n");
        FailingStream in = new FailingStream(declared, declared.length); // would throw if content were read
        e = assertThrows(MalformedMultipartException.class, () -> readAll(small, in, CT));
        assertTrue(e.getMessage().contains("exceeds 1000 bytes"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oversizedPartDoesNotReadWholeBody() {
        MultipartRelatedReader small = new MultipartRelatedReader(100_000);
        byte[] head = ascii("--" + BOUNDARY + "\r\n\r\n");
        long[] delivered = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = len;
                for (int i = 0; i < n; i++) {
                    long p = delivered[0] + i;
                    b[off + i] = p < head.length ? head[(int) p] : (byte) 'z';
                }
                delivered[0] += n;
                return n;
            }
        };
        assertThrows(MalformedMultipartException.class, () -> readAll(small, endless, CT));
        assertTrue(delivered[0] < 100_000 + 2 * 65536, "read " + delivered[0]);
    }

    // ------------------------------------------------------------------ content type / boundary

    @Test
    void missingBoundaryOrWrongContentType() {
        InputStream in = new ByteArrayInputStream(new byte[0]);
        assertTrue(assertThrows(MalformedMultipartException.class,
                () -> reader.parts(in, "multipart/related; type=\"application/dicom\""))
                .getMessage().contains("boundary"));
        assertTrue(assertThrows(MalformedMultipartException.class,
                () -> reader.parts(in, "application/dicom; boundary=abc"))
                .getMessage().contains("multipart"));
        assertThrows(MalformedMultipartException.class, () -> reader.parts(in, null));
        assertThrows(MalformedMultipartException.class, () -> reader.parts(in, " "));
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> reader.parts(in, "multipart/related; boundary=\"unterminated"));
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertThrows(MalformedMultipartException.class, () -> reader.parts(in, "multipart/related; boundary=\"\""));
        assertThrows(MalformedMultipartException.class,
                () -> reader.parts(in, "multipart/related; boundary=" + "b".repeat(300)));
        assertThrows(IllegalArgumentException.class, () -> new MultipartRelatedReader(0));
    }

    @Test
    void anyMultipartSubtypeAndCaseInsensitiveParameterName() {
        byte[] body = ascii("--" + BOUNDARY + "\r\n\r\nA\r\n--" + BOUNDARY + "--");
        assertEquals(1, readAll(new ByteArrayInputStream(body), "Multipart/Mixed; BOUNDARY=" + BOUNDARY).size());
    }

    @Test
    void quotedBoundaryWithSpecialCharacters() {
        String boundary = "'()+_,-./:=? end";
        String ct = "multipart/related; type=\"application/dicom\"; boundary=\"" + boundary + "\"";
        byte[] c1 = ascii("one --'()+_,-./:=? endX");
        byte[] c2 = allByteValues();
        byte[] body = new Writer(boundary).preamble("pre").part("a/b", c1).part("a/b", c2).close();
        List<BodyPart> parts = readAll(new ByteArrayInputStream(body), ct);
        assertEquals(2, parts.size());
        assertArrayEquals(c1, parts.get(0).content());
        assertArrayEquals(c2, parts.get(1).content());
    }

    @Test
    void orthancStyleContentType() {
        String ct = "multipart/related; type=\"image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50\"; boundary=abc";
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x0D, 0x0A, 0x2D, 0x2D, (byte) 0xFF, (byte) 0xD9};
        byte[] body = new Writer("abc").part("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", jpeg).close();
        List<BodyPart> parts = readAll(new ByteArrayInputStream(body), ct);
        assertArrayEquals(jpeg, parts.get(0).content());
    }

    // ------------------------------------------------------------------ stream handling

    @Test
    void ioExceptionMidStreamIsWrapped() {
        byte[] body = new Writer(BOUNDARY).part("a/b", new byte[5000]).part("a/b", new byte[5000]).close();
        FailingStream in = new FailingStream(body, 7000);
        Iterator<BodyPart> it = reader.parts(in, CT);
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertTrue(e.getCause() instanceof IOException);
        assertTrue(e.getMessage().startsWith("upstream body could not be read"), e.getMessage());
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertFalse(in.closed);
    }

    @Test
    void streamIsNotClosed() {
        byte[] body = new Writer(BOUNDARY).part("a/b", ascii("x")).close();
        FailingStream in = new FailingStream(body, Integer.MAX_VALUE);
        assertEquals(1, readAll(in, CT).size());
        assertFalse(in.closed);
    }

    @Test
    void iteratorContract() {
        byte[] body = new Writer(BOUNDARY).part("a/b", ascii("1")).part("a/b", ascii("2")).close();
        Iterator<BodyPart> it = reader.parts(new ByteArrayInputStream(body), CT);
        // next() without hasNext()
        assertArrayEquals(ascii("1"), it.next().content());
        assertTrue(it.hasNext());
        assertTrue(it.hasNext(), "hasNext is idempotent");
        assertArrayEquals(ascii("2"), it.next().content());
        assertFalse(it.hasNext());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void readsLazilyOnePartAtATime() {
        byte[] first = new Writer(BOUNDARY).part("a/b", new byte[300_000]).close("");
        byte[] body = concat(first, ascii("garbage that is never reached"));
        int[] readUpTo = {0};
        InputStream in = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) {
                    readUpTo[0] += n;
                }
                return n;
            }
        };
        Iterator<BodyPart> it = reader.parts(in, CT);
        assertTrue(it.hasNext());
        assertTrue(readUpTo[0] < 300_000 + 65536 + 100, "read " + readUpTo[0]);
        assertEquals(300_000, it.next().content().length);
    }

    @Test
    void bodyPartValueSemantics() {
        BodyPart a = new BodyPart(Map.of("Content-Type", " a/b "), ascii("x"));
        BodyPart b = new BodyPart(Map.of("content-type", "a/b"), ascii("x"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("a/b", a.contentType());
        assertTrue(a.toString().contains("1 bytes"));
        assertEquals(-1, new BodyPart(Map.of("content-length", "-1"), new byte[0]).declaredLength());
        assertEquals(-1, new BodyPart(Map.of("content-length", "99999999999999999999"), new byte[0]).declaredLength());
        assertEquals(12, new BodyPart(Map.of("Content-Length", "12"), new byte[0]).declaredLength());
        assertThrows(IllegalArgumentException.class,
                () -> new BodyPart(Map.of("A", "1", "a", "2"), new byte[0]));
    }

    // ------------------------------------------------------------------ larger bodies

    @Test
    void largeBodyWith1024Parts() {
        Random rnd = new Random(1024);
        List<byte[]> contents = new ArrayList<>();
        Writer w = new Writer(BOUNDARY);
        for (int i = 0; i < 1024; i++) {
            byte[] c = random(rnd, 13_000 + rnd.nextInt(2000));
            contents.add(c);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
            h.put("Content-Location", "/frames/" + (i + 1));
            h.put("Content-Length", Integer.toString(c.length));
            w.part(h, c);
        }
        byte[] body = w.close();
        assertTrue(body.length > 13_000_000);

        Iterator<BodyPart> it = reader.parts(new ByteArrayInputStream(body), CT);
        for (int i = 0; i < 1024; i++) {
            assertTrue(it.hasNext());
            BodyPart p = it.next();
            assertArrayEquals(contents.get(i), p.content(), "part " + i);
            assertEquals("/frames/" + (i + 1), p.headers().get("content-location"));
        }
        assertFalse(it.hasNext());
        Iterator<BodyPart> chunked = reader.parts(new OddChunkStream(body), CT);
        for (int i = 0; i < 1024; i++) {
            assertArrayEquals(contents.get(i), chunked.next().content(), "part " + i);
        }
        assertFalse(chunked.hasNext());

        // Timing (parts are consumed one at a time, as a streaming caller would). The bound is
        // generous to stay robust on slow CI machines; typically well under 20 ms after warm-up.
        for (int i = 0; i < 15; i++) {
            consumeAll(body);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            long total = consumeAll(body);
            best = Math.min(best, System.nanoTime() - t0);
            assertEquals(contents.stream().mapToLong(c -> c.length).sum(), total);
        }
        System.out.printf("MultipartRelatedReader: %d bytes, 1024 parts parsed in %.2f ms%n",
                body.length, best / 1e6);
        assertTrue(best < 1_000_000_000L, "parse took " + best / 1e6 + " ms");
    }

    private long consumeAll(byte[] body) {
        long total = 0;
        Iterator<BodyPart> it = reader.parts(new ByteArrayInputStream(body), CT);
        while (it.hasNext()) {
            total += it.next().content().length;
        }
        return total;
    }
}
