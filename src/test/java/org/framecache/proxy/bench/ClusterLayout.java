package org.framecache.proxy.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.framecache.proxy.cache.RedisByteCache;
import org.framecache.proxy.cache.RedisSettings;
import org.framecache.proxy.testing.RedisCluster;
import org.framecache.proxy.testing.RedisProcess;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Where an instance's frames should live in a Redis Cluster ({@code bench/cluster}): against a real local cluster
 * (3 masters + 3 replicas on loopback), the 1024 frames of one instance read back
 * <ul>
 * <li><b>tagged</b>: the instance UID is the hash tag (the proxy's layout): one slot, one MGET;</li>
 * <li><b>spread, MGET per slot</b>: no hash tag, so the keys fall on ~1000 slots over the 3 masters, and the
 * cache's per-slot grouping makes one MGET per slot, one after the other;</li>
 * <li><b>spread, pipelined per node</b>: the same keys, the per-slot MGETs sent as one pipeline per master
 * (Jedis ClusterPipeline: one round trip per node, the nodes in parallel), the best the spread layout can do.</li>
 * </ul>
 * Reads as one batch of 1024 keys, as a walk of 256 requests of 4 frames (a viewer's batch) and of 1024 single
 * frames; writes as 16 batches of 64 (the prefetch's batch). Prints medians and round trips.
 * <pre>java -cp ... org.framecache.proxy.bench.ClusterLayout [repetitions, default 31] [frame bytes, default 10240]</pre>
 */
public final class ClusterLayout {
    private static final int FRAMES = 1024;
    private static final String INSTANCE = "1.2.826.0.1.3680043.10.1234.3";

    private ClusterLayout() {
    }

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        int frameBytes = args.length > 1 ? Integer.parseInt(args[1]) : 10240;
        try (RedisCluster cluster = RedisCluster.start()) {
            RedisSettings settings = new RedisSettings("", cluster.seeds(), "", "", "", "", "", false, "", "", "", true,
                    2000, 16);
            Set<HostAndPort> seeds = Arrays.stream(cluster.seeds().split(",")).map(HostAndPort::from)
                    .collect(Collectors.toSet());
            try (RedisByteCache cache = new RedisByteCache(settings, Duration.ofHours(1), Duration.ofMillis(1));
                 JedisCluster jedis = new JedisCluster(seeds, DefaultJedisClientConfig.builder().timeoutMillis(2000)
                         .build())) {
                Random random = new Random(7);
                byte[] frame = new byte[frameBytes];
                random.nextBytes(frame);
                List<String> tagged = keys(n -> "dwfc:0123456789ab:1.2.3:1.2.3.4:{" + INSTANCE + "}:" + n + ":raw:*");
                List<String> spread = keys(n -> "dwfc:0123456789ab:1.2.3:1.2.3.4:" + INSTANCE + ":" + n + ":raw:*");

                System.out.printf("Redis Cluster, 3 masters + 3 replicas on loopback; one instance of %d frames of %d"
                        + " bytes; median of %d runs (ms)%n%n", FRAMES, frameBytes, repetitions);
                System.out.printf("| layout | keys on masters | 1024-frame read: ms, round trips | 256 reads of 4"
                        + " frames: ms, round trips | 1024 reads of 1 frame: ms | write 16×64: ms, round trips |%n");
                System.out.println("|---|---|---|---|---|---|");
                Layout[] layouts = {
                    new Layout("tagged (instance UID as hash tag)", tagged, false),
                    new Layout("spread, MGET per slot", spread, false),
                    new Layout("spread, pipelined per node", spread, true),
                };
                for (Layout layout : layouts) {
                    Access access = layout.pipelined ? new Pipelined(jedis) : new PerSlot(cache);
                    Map<String, byte[]> all = new LinkedHashMap<>();
                    layout.keys.forEach(k -> all.put(k, frame));
                    double write = median(repetitions, () -> {
                        for (int b = 0; b < FRAMES; b += 64) {
                            access.write(subMap(all, layout.keys.subList(b, b + 64)));
                        }
                    });
                    check(access.read(layout.keys), frame);
                    double whole = median(repetitions, () -> check(access.read(layout.keys), frame));
                    double fours = median(repetitions, () -> {
                        for (int b = 0; b < FRAMES; b += 4) {
                            check(access.read(layout.keys.subList(b, b + 4)), frame);
                        }
                    });
                    double ones = median(Math.max(3, repetitions / 3), () -> {
                        for (String key : layout.keys) {
                            check(access.read(List.of(key)), frame);
                        }
                    });
                    System.out.printf("| %s | %s | %.2f, %s | %.1f, %s | %.1f | %.1f, %s |%n", layout.name,
                            perMaster(cluster, layout.keys), whole, trips(layout, layout.keys),
                            fours, tripsInBatches(layout, 4), ones, write, tripsInBatches(layout, 64));
                }
            }
        }
    }

    private record Layout(String name, List<String> keys, boolean pipelined) {
    }

    /** Round trips of one read: one per slot, or one per master (in parallel) when pipelined. */
    private static String trips(Layout layout, List<String> keys) {
        int slots = (int) keys.stream().map(JedisClusterCRC16::getSlot).distinct().count();
        if (!layout.pipelined) {
            return Integer.toString(slots);
        }
        return "1 per master (" + slots + " MGETs)";
    }

    private static String tripsInBatches(Layout layout, int batch) {
        int total = 0;
        for (int b = 0; b < FRAMES; b += batch) {
            total += (int) layout.keys.subList(b, b + batch).stream().map(JedisClusterCRC16::getSlot).distinct().count();
        }
        return layout.pipelined ? total + " commands in " + FRAMES / batch + " pipelines" : Integer.toString(total);
    }

    /** How many of the keys each master holds, e.g. "1024 / 0 / 0". */
    private static String perMaster(RedisCluster cluster, List<String> keys) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (RedisProcess node : cluster.nodes()) {
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                if (jedis.info("replication").contains("role:master")) {
                    counts.put(node.port(), 0);
                }
            }
        }
        Map<Integer, Integer> masterOfSlot = new java.util.HashMap<>();
        for (String key : keys) {
            int slot = JedisClusterCRC16.getSlot(key);
            int port = masterOfSlot.computeIfAbsent(slot, s -> cluster.masterOf(s).port());
            counts.merge(port, 1, Integer::sum);
        }
        return counts.values().stream().map(String::valueOf).collect(Collectors.joining(" / "));
    }

    private static List<String> keys(Function<Integer, String> key) {
        List<String> keys = new ArrayList<>(FRAMES);
        for (int n = 1; n <= FRAMES; n++) {
            keys.add(key.apply(n));
        }
        return keys;
    }

    private static Map<String, byte[]> subMap(Map<String, byte[]> all, List<String> keys) {
        Map<String, byte[]> part = new LinkedHashMap<>();
        keys.forEach(k -> part.put(k, all.get(k)));
        return part;
    }

    private static void check(List<byte[]> values, byte[] frame) {
        for (byte[] value : values) {
            if (value == null || value.length != frame.length) {
                throw new IllegalStateException("a frame was not read back");
            }
        }
    }

    private static double median(int repetitions, Runnable run) {
        for (int i = 0; i < 3; i++) {
            run.run(); // warm-up: JIT, connections
        }
        double[] millis = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            run.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[repetitions / 2];
    }

    private interface Access {
        List<byte[]> read(List<String> keys);

        void write(Map<String, byte[]> entries);
    }

    /** The proxy's own cache: one MGET (and one write script) per hash slot. */
    private record PerSlot(RedisByteCache cache) implements Access {
        @Override
        public List<byte[]> read(List<String> keys) {
            return cache.getAll(keys);
        }

        @Override
        public void write(Map<String, byte[]> entries) {
            cache.putAll(entries);
        }
    }

    /** One MGET per slot (SET EX per key for writes), all of them in one pipeline per master. */
    private record Pipelined(JedisCluster jedis) implements Access {
        @Override
        public List<byte[]> read(List<String> keys) {
            Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                bySlot.computeIfAbsent(JedisClusterCRC16.getSlot(keys.get(i)), s -> new ArrayList<>()).add(i);
            }
            List<byte[]> values = new ArrayList<>(java.util.Collections.nCopies(keys.size(), null));
            try (ClusterPipeline pipeline = jedis.pipelined()) {
                Map<List<Integer>, Response<List<byte[]>>> answers = new LinkedHashMap<>();
                for (List<Integer> positions : bySlot.values()) {
                    answers.put(positions, pipeline.mget(positions.stream().map(i -> keys.get(i).getBytes())
                            .toArray(byte[][]::new)));
                }
                pipeline.sync();
                answers.forEach((positions, answer) -> {
                    List<byte[]> found = answer.get();
                    for (int i = 0; i < positions.size(); i++) {
                        values.set(positions.get(i), found.get(i));
                    }
                });
            }
            return values;
        }

        @Override
        public void write(Map<String, byte[]> entries) {
            try (ClusterPipeline pipeline = jedis.pipelined()) {
                entries.forEach((key, value) -> pipeline.setex(key.getBytes(), 3600, value));
                pipeline.sync();
            }
        }
    }
}
