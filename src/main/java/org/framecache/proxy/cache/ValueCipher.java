package org.framecache.proxy.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals cache values with AES-256-GCM before they leave the process, and opens them when they come back. A sealed
 * value is {@code version(1) | key id(4) | nonce(12) | ciphertext | tag(16)}; the associated data is the version,
 * the key id and the full cache key, so a value copied to another key (or tampered with) does not open. A random
 * 96-bit nonce per value: keep well under 2^32 writes per key (NIST SP 800-38D §8.3), i.e. rotate the key.
 * Values sealed with the old key (read-only, for rotation) still open; new values are sealed with the current one.
 */
public final class ValueCipher {
    /**
     * First byte of a sealed value: unlike any plain value's format byte (CachedFrame's is 1), so a replica without
     * the key (a rolling update turning encryption on, a rollback) reads a sealed value as a value of an unknown
     * format, a miss, never as a frame.
     */
    static final byte VERSION = (byte) 0xE1;
    static final int KEY_ID_LENGTH = 4;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int HEADER = 1 + KEY_ID_LENGTH + NONCE_LENGTH;
    /** What sealing adds to each value. */
    public static final int OVERHEAD = HEADER + TAG_LENGTH;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKey current;
    private final byte[] currentId;
    private final SecretKey old;
    private final byte[] oldId;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param currentKey base64 of 32 bytes; seals and opens
     * @param oldKey base64 of 32 bytes, or null/blank; opens only (values written before a rotation)
     */
    public ValueCipher(String currentKey, String oldKey) {
        this.current = key(currentKey, "cache.encryption-key");
        this.currentId = keyId(current);
        this.old = oldKey == null || oldKey.isBlank() ? null : key(oldKey, "cache.encryption-old-key");
        this.oldId = old == null ? null : keyId(old);
    }

    /** Encrypts {@code value} for {@code cacheKey}: one new array, the plaintext is not kept. */
    public byte[] seal(String cacheKey, byte[] value) {
        byte[] sealed = new byte[OVERHEAD + value.length];
        sealed[0] = VERSION;
        System.arraycopy(currentId, 0, sealed, 1, KEY_ID_LENGTH);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, 1 + KEY_ID_LENGTH, NONCE_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(sealed, 0, 1 + KEY_ID_LENGTH);
            cipher.updateAAD(cacheKey.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(value, 0, value.length, sealed, HEADER);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * The plaintext of a value read for {@code cacheKey}, or null when it does not open: unknown version or key,
     * too short, written under another key, or altered.
     */
    public byte[] open(String cacheKey, byte[] sealed) {
        if (sealed == null || sealed.length < OVERHEAD || sealed[0] != VERSION) {
            return null;
        }
        SecretKey key = matches(sealed, currentId) ? current : oldId != null && matches(sealed, oldId) ? old : null;
        if (key == null) {
            return null;
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_LENGTH * 8, sealed, 1 + KEY_ID_LENGTH, NONCE_LENGTH));
            cipher.updateAAD(sealed, 0, 1 + KEY_ID_LENGTH);
            cipher.updateAAD(cacheKey.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, HEADER, sealed.length - HEADER);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** For logs: the ids of the keys (never the keys), e.g. "key 3fa2c1d0, old key 91bb02e4". */
    public String describe() {
        String text = "key " + java.util.HexFormat.of().formatHex(currentId);
        return old == null ? text : text + ", old key " + java.util.HexFormat.of().formatHex(oldId);
    }

    private static boolean matches(byte[] sealed, byte[] id) {
        return Arrays.equals(sealed, 1, 1 + KEY_ID_LENGTH, id, 0, KEY_ID_LENGTH);
    }

    private static SecretKey key(String base64, String property) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not base64: " + e.getMessage());
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(property + " must be base64 of 32 bytes (AES-256), got " + bytes.length
                    + " bytes; make one with: openssl rand -base64 32");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** A public name for the key: the first bytes of a hash of it, so rotation can tell which key sealed a value. */
    private static byte[] keyId(SecretKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("dicomweb-frame-cache key id".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(digest.digest(key.getEncoded()), KEY_ID_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
