package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Encrypted values in a real redis-server: a dump holds no pixel bytes, moved values are misses, the near tier is plain. */
class EncryptedByteCacheTest {
    private static RedisProcess redis;
    private static RedisByteCache raw;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(); // its own: the dumps below must see only this test's keys
        raw = new RedisByteCache(redis.url(), "", Duration.ofMinutes(1), 1000, 4, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        raw.close();
        redis.close();
    }

    /** A frame of known content: incompressible, so a dump that held it would hold it byte for byte. */
    private static byte[] frame(int seed) {
        byte[] bytes = new byte[16 * 1024];
        new Random(seed).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        return bytes;
    }

    private static EncryptedByteCache encrypted(String key, String oldKey) {
        return new EncryptedByteCache(raw, new ValueCipher(key, oldKey));
    }

    @Test
    void aDumpOfRedisHoldsNoPixelBytesWhileTheFramesStillRead() throws Exception {
        byte[] frame = frame(42);
        MemoryByteCache near = new MemoryByteCache(1 << 20, Duration.ofMinutes(1));
        TieredByteCache tiered = new TieredByteCache(near, encrypted(ValueCipherTest.KEY_A, null));
        tiered.putAll(Map.of("dump:1.2:1.3:1.4:1:raw", frame));

        assertArrayEquals(frame, near.getAll(List.of("dump:1.2:1.3:1.4:1:raw")).get(0), "the near tier keeps plaintext");
        byte[] stored = raw.getAll(List.of("dump:1.2:1.3:1.4:1:raw")).get(0);
        assertEquals(frame.length + ValueCipher.OVERHEAD, stored.length);
        assertFalseContains(stored, frame, "the value in Redis");
        assertFalseContains(dump(), frame, "an RDB dump of Redis");

        TieredByteCache otherReplica = new TieredByteCache(new MemoryByteCache(1 << 20, Duration.ofMinutes(1)),
                encrypted(ValueCipherTest.KEY_A, null));
        assertArrayEquals(frame, otherReplica.getAll(List.of("dump:1.2:1.3:1.4:1:raw")).get(0));

        // the check can fail: the same frame written without encryption is in the next dump
        raw.putAll(Map.of("dump:plain", frame));
        assertTrue(windows(dump(), frame) > 0, "a plain value is visible in a dump");
        raw.putAll(Map.of("dump:plain", new byte[1]));
    }

    @Test
    void aValueMovedToAnotherKeyIsACountedMiss() {
        EncryptedByteCache cache = encrypted(ValueCipherTest.KEY_A, null);
        cache.putAll(Map.of("move:frame:1", frame(1)));
        raw.putAll(Map.of("move:frame:2", raw.getAll(List.of("move:frame:1")).get(0)));
        List<byte[]> values = cache.getAll(List.of("move:frame:1", "move:frame:2", "move:absent"));
        assertArrayEquals(frame(1), values.get(0));
        assertNull(values.get(1), "sealed for frame 1, read as frame 2: a miss");
        assertNull(values.get(2));
        assertEquals(1, cache.rejected(), "only the moved value counts, not the absent one");
    }

    @Test
    void duringARotationOldValuesReadAndNewOnesUseTheNewKey() {
        encrypted(ValueCipherTest.KEY_A, null).putAll(Map.of("rotate:old", frame(3)));
        EncryptedByteCache rotating = encrypted(ValueCipherTest.KEY_B, ValueCipherTest.KEY_A);
        assertArrayEquals(frame(3), rotating.getAll(List.of("rotate:old")).get(0));
        rotating.putAll(Map.of("rotate:new", frame(4)));
        EncryptedByteCache rotated = encrypted(ValueCipherTest.KEY_B, null);
        assertArrayEquals(frame(4), rotated.getAll(List.of("rotate:new")).get(0));
        assertNull(rotated.getAll(List.of("rotate:old")).get(0), "the old key retired: its values are misses");
        assertNotEquals(0, rotated.rejected());
    }

    private static void assertFalseContains(byte[] haystack, byte[] frame, String where) {
        assertEquals(0, windows(haystack, frame), "pixel bytes found in " + where);
    }

    /** How many 32-byte windows of the frame (one every 512 bytes) occur in the haystack. */
    private static int windows(byte[] haystack, byte[] frame) {
        int found = 0;
        for (int at = 0; at + 32 <= frame.length; at += 512) {
            if (ValueCipherTest.indexOf(haystack, Arrays.copyOfRange(frame, at, at + 32)) >= 0) {
                found++;
            }
        }
        return found;
    }

    /** What an operator (or an attacker with replica access) gets: {@code redis-cli --rdb}. */
    private static byte[] dump() throws IOException, InterruptedException {
        Path file = Files.createTempFile("redis-dump-", ".rdb");
        try {
            Process configure = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()),
                    "config", "set", "repl-diskless-sync-delay", "0").redirectErrorStream(true).start();
            assertTrue(configure.waitFor(10, TimeUnit.SECONDS));
            Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "--rdb", file.toString())
                    .redirectErrorStream(true).start();
            assertTrue(cli.waitFor(20, TimeUnit.SECONDS), "redis-cli --rdb did not finish");
            String output = new String(cli.getInputStream().readAllBytes());
            assertEquals(0, cli.exitValue(), output);
            byte[] rdb = Files.readAllBytes(file);
            assertTrue(rdb.length > 16 * 1024, "the dump holds the values: " + rdb.length + " bytes, " + output);
            return rdb;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
