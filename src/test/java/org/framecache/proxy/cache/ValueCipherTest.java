package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing of cache values: bound to their key, tamper-evident, rotatable. */
class ValueCipherTest {
    static final String KEY_A = key(1);
    static final String KEY_B = key(2);
    private static final String CACHE_KEY = "dwfc:abc:1.2:1.3:1.4:7:raw";

    static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] frame(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aSealedValueOpensUnderItsKeyAndHidesItsBytes() {
        ValueCipher cipher = new ValueCipher(KEY_A, null);
        byte[] frame = frame(16 * 1024);
        byte[] sealed = cipher.seal(CACHE_KEY, frame);
        assertEquals(frame.length + ValueCipher.OVERHEAD, sealed.length);
        assertEquals(ValueCipher.VERSION, sealed[0]);
        assertArrayEquals(frame, cipher.open(CACHE_KEY, sealed));
        for (int at = 0; at + 16 <= frame.length; at += 16) {
            byte[] window = Arrays.copyOfRange(frame, at, at + 16);
            assertEquals(-1, indexOf(sealed, window), "plaintext visible at " + at);
        }
    }

    @Test
    void twoSealsOfOneValueDiffer() {
        ValueCipher cipher = new ValueCipher(KEY_A, null);
        byte[] frame = frame(100);
        assertNotEquals(Arrays.toString(cipher.seal(CACHE_KEY, frame)), Arrays.toString(cipher.seal(CACHE_KEY, frame)),
                "a fresh nonce per value");
    }

    @Test
    void aValueMovedToAnotherKeyAlteredOrTruncatedDoesNotOpen() {
        ValueCipher cipher = new ValueCipher(KEY_A, null);
        byte[] sealed = cipher.seal(CACHE_KEY, frame(1000));
        assertNull(cipher.open(CACHE_KEY.replace(":7:", ":8:"), sealed), "another frame's key");
        byte[] altered = sealed.clone();
        altered[ValueCipher.HEADER + 10] ^= 1;
        assertNull(cipher.open(CACHE_KEY, altered), "a flipped ciphertext bit");
        byte[] otherVersion = sealed.clone();
        otherVersion[0] = 2;
        assertNull(cipher.open(CACHE_KEY, otherVersion), "an unknown version");
        assertNull(cipher.open(CACHE_KEY, Arrays.copyOf(sealed, sealed.length - 1)), "truncated");
        assertNull(cipher.open(CACHE_KEY, new byte[5]), "shorter than the overhead");
        assertNull(cipher.open(CACHE_KEY, frame(1000)), "a plaintext value written before encryption was enabled");
    }

    @Test
    void rotationReadsTheOldKeysValuesAndWritesWithTheNewKey() {
        ValueCipher before = new ValueCipher(KEY_A, null);
        ValueCipher during = new ValueCipher(KEY_B, KEY_A);
        ValueCipher after = new ValueCipher(KEY_B, "");
        byte[] frame = frame(300);
        byte[] old = before.seal(CACHE_KEY, frame);
        assertArrayEquals(frame, during.open(CACHE_KEY, old), "old values still read during the rotation");
        assertNull(after.open(CACHE_KEY, old), "and not once the old key is gone");
        byte[] fresh = during.seal(CACHE_KEY, frame);
        assertArrayEquals(frame, after.open(CACHE_KEY, fresh), "new values are sealed with the new key");
        assertNull(before.open(CACHE_KEY, fresh));
    }

    @Test
    void keysMustBeBase64Of32BytesAndAreNeverShown() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> new ValueCipher(Base64.getEncoder().encodeToString(new byte[16]), null));
        assertTrue(shortKey.getMessage().contains("32 bytes"), shortKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ValueCipher("not base64 !", null));
        assertThrows(IllegalArgumentException.class, () -> new ValueCipher(KEY_A, "c2hvcnQ="));
        String described = new ValueCipher(KEY_A, KEY_B).describe();
        assertTrue(!described.contains(KEY_A) && !described.contains(KEY_B), described);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aSealedValueIsNeverReadAsAFrameByAReplicaWithoutTheKey() {
        // a rolling update turning encryption on, or a rollback: pods without the key read sealed values
        java.util.Random random = new java.util.Random(7);
        for (int size : new int[] {16 << 10, 64 << 10, 256 << 10}) {
            byte[] pixels = new byte[size];
            random.nextBytes(pixels);
            byte[] plain = new org.framecache.proxy.inbound.CachedFrame("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", pixels)
                    .encode();
            for (int i = 0; i < 300; i++) {
                String key = "dwfc:0123456789ab:1.2:1.2.3:{1.2.3." + random.nextInt(1_000_000) + "}:" + (1 + i) + ":raw:*";
                byte[] sealed = new ValueCipher(randomKey(random), null).seal(key, plain);
                assertNull(org.framecache.proxy.inbound.CachedFrame.decode(sealed), "a sealed value decoded as a frame");
            }
        }
    }

    @Test
    void aValueWhoseContentTypeIsNotOneTheProxyWroteIsAMiss() {
        byte[] garbled = {1, 0, 4, 'a', '\r', '\n', 'b', 9, 9};
        assertNull(org.framecache.proxy.inbound.CachedFrame.decode(garbled), "control characters");
        byte[] noSlash = {1, 0, 4, 'j', 'p', 'e', 'g', 9, 9};
        assertNull(org.framecache.proxy.inbound.CachedFrame.decode(noSlash), "not a media type");
        byte[] fine = {1, 0, 3, 'a', '/', 'b', 9, 9};
        assertNotNull(org.framecache.proxy.inbound.CachedFrame.decode(fine));
    }

    private static String randomKey(java.util.Random random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
