package org.framecache.proxy.bench;

import java.util.Base64;
import java.util.Random;

import org.framecache.proxy.cache.ValueCipher;

/**
 * The cost of encrypted cache values per frame ({@code bench/encryption}): seal (write to Redis) and open (read
 * from Redis) with AES-256-GCM, in one thread, for 16 KiB and 256 KiB frames. Prints ns/frame and MB/s.
 */
public final class EncryptionCost {
    private EncryptionCost() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        byte[] keyBytes = new byte[32];
        new Random(1).nextBytes(keyBytes);
        ValueCipher cipher = new ValueCipher(Base64.getEncoder().encodeToString(keyBytes), null);
        String key = "dwfc:0123456789ab:1.2.826.0.1.3680043.8.498.1:1.2.826.0.1.3680043.8.498.2:"
                + "{1.2.826.0.1.3680043.8.498.3}:517:raw";
        System.out.printf("%-10s %14s %14s %12s %12s%n", "frame", "seal ns/frame", "open ns/frame", "seal MB/s", "open MB/s");
        for (int size : new int[] {16 * 1024, 256 * 1024}) {
            byte[] frame = new byte[size];
            new Random(size).nextBytes(frame);
            byte[] sealed = cipher.seal(key, frame);
            measure(cipher, key, frame, sealed, seconds / 2); // JIT warm-up, not reported
            double[] ns = measure(cipher, key, frame, sealed, seconds);
            System.out.printf("%-10s %14.0f %14.0f %12.0f %12.0f%n", size / 1024 + " KiB", ns[0], ns[1],
                    size / ns[0] * 1e3, size / ns[1] * 1e3);
        }
    }

    private static double[] measure(ValueCipher cipher, String key, byte[] frame, byte[] sealed, double seconds) {
        long budget = (long) (seconds * 1e9 / 2);
        long sink = 0;
        long n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < budget) {
            sink += cipher.seal(key, frame).length;
            n++;
        }
        double seal = (System.nanoTime() - start) / (double) n;
        n = 0;
        start = System.nanoTime();
        while (System.nanoTime() - start < budget) {
            sink += cipher.open(key, sealed).length;
            n++;
        }
        double open = (System.nanoTime() - start) / (double) n;
        if (sink == 42) {
            System.out.println(); // keeps the work observable to the JIT
        }
        return new double[] {seal, open};
    }
}
