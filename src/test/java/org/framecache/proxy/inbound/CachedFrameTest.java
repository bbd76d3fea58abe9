package org.framecache.proxy.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The cache value layout: format byte, u16 content-type length, content type, frame bytes. */
class CachedFrameTest {
    private static final String TYPE = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";

    @Test
    void roundTripKeepsTypeAndExactBytes() {
        // odd values, zero bytes and a trailing pad byte must all survive
        byte[] bytes = {(byte) 0xFF, (byte) 0xD8, 0, 0, 7, (byte) 0x80, (byte) 0xFF, (byte) 0xD9, 0};

        CachedFrame decoded = CachedFrame.decode(new CachedFrame(TYPE, bytes).encode());

        assertNotNull(decoded);
        assertEquals(TYPE, decoded.contentType());
        assertArrayEquals(bytes, decoded.bytes());
    }

    @Test
    void encodedLayout() {
        byte[] value = new CachedFrame("a/b", new byte[] {9, 8}).encode();

        assertArrayEquals(new byte[] {1, 0, 3, 'a', '/', 'b', 9, 8}, value);
    }

    @Test
    void contentTypeLengthIsBigEndianU16() {
        String longType = "image/jpeg; x=" + "y".repeat(300);
        byte[] value = new CachedFrame(longType, new byte[] {42}).encode();

        int length = longType.length();
        assertEquals((byte) (length >> 8), value[1]);
        assertEquals((byte) length, value[2]);
        CachedFrame decoded = CachedFrame.decode(value);
        assertEquals(longType, decoded.contentType());
        assertArrayEquals(new byte[] {42}, decoded.bytes());
    }

    @Test
    void aContentTypeThatIsNotAPrintableMediaTypeIsAMiss() {
        // the proxy writes HTTP header values (ASCII, with a '/'): other bytes there are not its value (another
        // format, a sealed value read without the key), never served
        assertNull(CachedFrame.decode(new CachedFrame("image/jpeg; note=\"é\"", new byte[] {1}).encode()));
        byte[] value = new CachedFrame("", new byte[] {1, 2, 3}).encode();
        assertArrayEquals(new byte[] {1, 0, 0, 1, 2, 3}, value);
        assertNull(CachedFrame.decode(value));
        assertNull(CachedFrame.decode(new CachedFrame("image/jpeg\r\nX-Evil: 1", new byte[] {1}).encode()));
    }

    @Test
    void emptyFrameRoundTrips() {
        CachedFrame decoded = CachedFrame.decode(new CachedFrame(TYPE, new byte[0]).encode());

        assertEquals(TYPE, decoded.contentType());
        assertEquals(0, decoded.bytes().length);
    }

    @Test
    void unknownFormatByteIsAMiss() {
        byte[] value = new CachedFrame(TYPE, new byte[] {1, 2}).encode();
        value[0] = 2;

        assertNull(CachedFrame.decode(value));
    }

    @Test
    void rawFrameBytesWithoutHeaderAreAMiss() {
        // e.g. a value written by an older version that stored bare JPEG bytes
        assertNull(CachedFrame.decode(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}));
    }

    @Test
    void truncatedContentTypeIsAMiss() {
        byte[] value = new CachedFrame(TYPE, new byte[0]).encode();

        assertNull(CachedFrame.decode(Arrays.copyOf(value, value.length - 1)));
        assertNull(CachedFrame.decode(Arrays.copyOf(value, 4)));
    }

    @Test
    void truncatedHeaderIsAMiss() {
        assertNull(CachedFrame.decode(new byte[] {1, 0}));
        assertNull(CachedFrame.decode(new byte[] {1}));
        assertNull(CachedFrame.decode(new byte[0]));
        assertNull(CachedFrame.decode(null));
    }

    @Test
    void lengthLargerThanValueIsAMiss() {
        byte[] value = {1, (byte) 0xFF, (byte) 0xFF, 'a', '/', 'b'};

        assertNull(CachedFrame.decode(value));
    }

    @Test
    void decodedFramePointsIntoTheValueAndIsCopiedOnlyWhenAskedFor() {
        byte[] value = new CachedFrame("a/b", new byte[] {5, 6, 7}).encode();
        CachedFrame decoded = CachedFrame.decode(value);

        java.nio.ByteBuffer view = decoded.buffer();
        assertEquals(3, decoded.length());
        assertEquals(3, view.remaining());
        assertEquals(3, view.capacity(), "a view of the frame alone, not of the whole value");
        assertTrue(view.isReadOnly());
        value[value.length - 1] = 9;
        assertEquals(9, view.get(2), "no copy: the view is the cache value's own bytes");

        byte[] copy = decoded.bytes();
        copy[0] = 0;
        assertArrayEquals(new byte[] {5, 6, 9}, decoded.bytes(), "bytes() is a copy");
        assertArrayEquals(new byte[] {5, 6, 9}, CachedFrame.decode(decoded.encode()).bytes(), "re-encodes the frame only");
    }
}
