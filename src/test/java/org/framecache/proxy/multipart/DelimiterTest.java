package org.framecache.proxy.multipart;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The delimiter search against a plain byte-by-byte search, and the classification of what follows a match. */
class DelimiterTest {

    private static final byte[] BOUNDARY = "b0und".getBytes(US_ASCII);
    private static final byte[] DELIMITER = "\r\n--b0und".getBytes(US_ASCII);
    private final Delimiter delimiter = new Delimiter(BOUNDARY);

    private static int naiveIndex(byte[] buf, int from, int limit) {
        for (int i = from; i + DELIMITER.length <= limit; i++) {
            if (Arrays.equals(buf, i, i + DELIMITER.length, DELIMITER, 0, DELIMITER.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstFullMatchWhereAPlainSearchDoes() {
        Random rnd = new Random(7);
        // an alphabet of the delimiter's own bytes makes near misses and overlaps frequent
        byte[] alphabet = "\r\n-b0undx".getBytes(US_ASCII);
        for (int round = 0; round < 20_000; round++) {
            byte[] buf = new byte[1 + rnd.nextInt(60)];
            for (int i = 0; i < buf.length; i++) {
                buf[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            if (rnd.nextBoolean() && buf.length >= DELIMITER.length) {
                System.arraycopy(DELIMITER, 0, buf, rnd.nextInt(buf.length - DELIMITER.length + 1), DELIMITER.length);
            }
            int from = rnd.nextInt(buf.length);
            int limit = from + rnd.nextInt(buf.length - from + 1);
            assertEquals(naiveIndex(buf, from, limit), delimiter.indexIn(buf, from, limit),
                    () -> "in " + Arrays.toString(buf) + " from " + from + " to " + limit);
        }
    }

    @Test
    void aMatchCutByTheLimitIsNotFound() {
        byte[] buf = "data\r\n--b0und".getBytes(US_ASCII);
        assertEquals(4, delimiter.indexIn(buf, 0, buf.length));
        assertEquals(-1, delimiter.indexIn(buf, 0, buf.length - 1));
        assertEquals(-1, delimiter.indexIn(buf, 5, buf.length));
        assertEquals(DELIMITER.length, delimiter.length());
    }

    private int classify(String text, boolean eof) {
        byte[] buf = text.getBytes(US_ASCII);
        return delimiter.classify(buf, 0, buf.length, eof);
    }

    @Test
    void whatFollowsAMatchDecidesWhatItIs() {
        int after = DELIMITER.length;
        assertEquals(after + 2, classify("\r\n--b0und\r\nheaders", false), "a delimiter line");
        assertEquals(after + 4, classify("\r\n--b0und \t\r\nheaders", false), "transport padding");
        assertEquals(Delimiter.CLOSE, classify("\r\n--b0und--", false));
        assertEquals(Delimiter.CLOSE, classify("\r\n--b0und--epilogue", false));
        assertEquals(Delimiter.NOT_DELIMITER, classify("\r\n--b0undX\r\n", false), "a longer token");
        assertEquals(Delimiter.NOT_DELIMITER, classify("\r\n--b0und-x", false));
        assertEquals(Delimiter.NOT_DELIMITER, classify("\r\n--b0und  x\r\n", false), "padding, then data");
        assertEquals(Delimiter.NOT_DELIMITER, classify("\r\n--b0und\rx", false));
    }

    @Test
    void aMatchAtTheEndOfTheBytesReadNeedsMoreUnlessTheBodyEnded() {
        for (String cut : new String[] {"\r\n--b0und", "\r\n--b0und-", "\r\n--b0und  ", "\r\n--b0und\r"}) {
            assertEquals(Delimiter.NEED_MORE, classify(cut, false), cut);
        }
        assertEquals(DELIMITER.length, classify("\r\n--b0und", true), "a bare delimiter at EOF ends the parts");
        assertEquals(Delimiter.CLOSE, classify("\r\n--b0und-", true));
        assertEquals(DELIMITER.length + 2, classify("\r\n--b0und  ", true));
        assertEquals(DELIMITER.length + 1, classify("\r\n--b0und\r", true));
    }
}
