package org.framecache.proxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.framecache.proxy.testing.RedisCluster;
import org.framecache.proxy.testing.RedisProcess;
import org.framecache.proxy.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The hardest setting, against real processes: a Redis Cluster (3 masters + 3 replicas) that speaks only
 * mutual TLS to clients (bus and replication TLS too), reached as a least-privilege ACL user, with encrypted values.
 * The client discovers the nodes' TLS ports from the cluster and keeps the TLS settings for every node it finds.
 */
class RedisClusterTlsTest {
    private static final String USER = "framecache";
    private static final String PASSWORD = "cluster-tls-password";
    private static TestCertificates certificates;
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.create();
        cluster = RedisCluster.startTls(certificates, List.of("--user", USER, "on", ">" + PASSWORD, "~dwfc:*",
                "resetchannels", "-@all", "+get", "+mget", "+eval", "+ping", "+set", "+del", "+client|setname",
                "+cluster|slots", "+asking"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (certificates != null) {
            certificates.delete();
        }
    }

    private static RedisSettings settings(String caFile) {
        return new RedisSettings("", cluster.seeds(), "", "", USER, PASSWORD, "", true, caFile,
                certificates.cert("client").toString(), certificates.key("client").toString(), true, 1000, 4);
    }

    private static String key(String instance, int frame) {
        return "dwfc:test:1.2:1.3:{" + instance + "}:" + frame + ":raw:*";
    }

    @Test
    void encryptedFramesOnEveryMasterOverMutualTlsAsTheAclUser() {
        Map<Integer, String> byMaster = new LinkedHashMap<>();
        for (int i = 1; byMaster.size() < 3; i++) {
            String instance = "1.2.840.77." + i;
            byMaster.putIfAbsent(cluster.masterOf(JedisClusterCRC16.getSlot(key(instance, 1))).port(), instance);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String instance : byMaster.values()) {
            for (int frame = 1; frame <= 8; frame++) {
                entries.put(key(instance, frame), (instance + "/" + frame).getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (EncryptedByteCache cache = new EncryptedByteCache(
                new RedisByteCache(settings(certificates.cert("ca").toString()), Duration.ofMinutes(5),
                        Duration.ofMillis(100), "dwfc:"),
                new ValueCipher(ValueCipherTest.KEY_A, null))) {
            assertEquals("up", cache.status());
            assertTrue(cache.describe().contains("(TLS)") && cache.describe().contains("AES-256-GCM"), cache.describe());
            cache.putAll(entries);
            List<String> keys = new ArrayList<>(entries.keySet());
            List<byte[]> values = cache.getAll(keys);
            for (int i = 0; i < keys.size(); i++) {
                assertArrayEquals(entries.get(keys.get(i)), values.get(i), keys.get(i));
            }
            List<String> markers = byMaster.values().stream().map(i -> key(i, 1) + ":loading").toList();
            assertEquals(List.of(true, true, true), cache.mark(markers, Duration.ofSeconds(10)));
            assertEquals(List.of(false, false, false), cache.mark(markers, Duration.ofSeconds(10)));
            cache.unmark(markers);
        }

        // what lies on the masters (read over their plain admin ports) is sealed: no frame text in any value
        Set<Integer> masters = byMaster.keySet();
        for (RedisProcess node : cluster.nodes()) {
            if (masters.contains(node.port())) {
                try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                    List<String> stored = admin.keys("dwfc:*").stream().filter(k -> !k.endsWith(":loading"))
                            .collect(Collectors.toList());
                    assertEquals(8, stored.size(), "8 frames on master :" + node.port());
                    for (String k : stored) {
                        String raw = new String(admin.get(k.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
                        assertTrue(!raw.contains("1.2.840.77."), "plain text in " + k);
                    }
                }
            }
        }
    }

    @Test
    void aCaThatDidNotSignTheNodesIsNoCache() throws Exception {
        RedisSettings wrongCa = settings(certificates.otherCa().toString());
        try (RedisByteCache cache = new RedisByteCache(wrongCa, Duration.ofMinutes(5), Duration.ofMillis(1), "dwfc:")) {
            cache.putAll(Map.of(key("1.2.840.77.1", 99), new byte[] {1}));
            assertNull(cache.getAll(List.of(key("1.2.840.77.1", 99))).get(0));
            assertTrue(cache.status().startsWith("unavailable"), cache.status());
        }
    }
}
