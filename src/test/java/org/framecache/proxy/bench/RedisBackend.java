package org.framecache.proxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.RedisCluster;
import org.framecache.proxy.testing.RedisProcess;
import org.framecache.proxy.testing.TestCertificates;
import redis.clients.jedis.Jedis;

/**
 * One shared cache for the two proxy replicas of {@code bench/redis-scale}, started and kept up until told to stop:
 * <ul>
 * <li>{@code single}: one redis-server;</li>
 * <li>{@code cluster}: a local Redis Cluster, 3 masters + 3 replicas;</li>
 * <li>{@code cluster-tls}: the same cluster speaking only mutual TLS to clients (bus and replication TLS too),
 * an ACL user limited to the cache's keys, and an encryption key for the values.</li>
 * </ul>
 * Writes two files, atomically, once the backend is ready: {@code --proxy-env} with the proxy's settings as
 * {@code NAME=value} lines (environment variables the proxy reads), and {@code --env-file} with {@code MASTER_PORTS}
 * (plain loopback ports of the masters, for {@code FLUSHALL} between runs). Stops when the {@code --stop-file}
 * appears or after {@code --max-seconds}.
 */
public final class RedisBackend {
    private static final String USER = "framecache";

    private RedisBackend() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String kind = options.getOrDefault("--kind", "single");
        Path envFile = Path.of(options.get("--env-file"));
        Path proxyEnv = Path.of(options.get("--proxy-env"));
        Path stopFile = Path.of(options.get("--stop-file"));
        long maxSeconds = Long.parseLong(options.getOrDefault("--max-seconds", "3600"));

        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("[redis-backend] stopping: " + e);
                }
            }
        }, "redis-backend-stop"));

        Map<String, String> proxy = new LinkedHashMap<>();
        List<Integer> masters = new ArrayList<>();
        switch (kind) {
            case "single" -> {
                RedisProcess redis = RedisProcess.start();
                started.add(redis);
                proxy.put("CACHE_REDIS_URL", redis.url());
                masters.add(redis.port());
            }
            case "cluster" -> {
                RedisCluster cluster = RedisCluster.start();
                started.add(cluster);
                proxy.put("CACHE_REDIS_URL", ""); // as the k8s overlay does: an empty variable clears the URL
                proxy.put("CACHE_REDIS_CLUSTER_NODES", cluster.seeds());
                masters.addAll(masterPorts(cluster));
            }
            case "cluster-tls" -> {
                TestCertificates certificates = TestCertificates.create();
                started.add(certificates::delete);
                String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random(18));
                RedisCluster cluster = RedisCluster.startTls(certificates, List.of("--user", USER, "on", ">" + password,
                        "~dwfc:*", "resetchannels", "-@all", "+get", "+mget", "+eval", "+ping", "+set", "+del",
                        "+client|setname", "+cluster|slots", "+asking"));
                started.add(cluster);
                proxy.put("CACHE_REDIS_URL", "");
                proxy.put("CACHE_REDIS_CLUSTER_NODES", cluster.seeds());
                proxy.put("CACHE_REDIS_TLS", "true");
                proxy.put("CACHE_REDIS_TLS_CA_FILE", certificates.cert("ca").toString());
                proxy.put("CACHE_REDIS_TLS_CERT_FILE", certificates.cert("client").toString());
                proxy.put("CACHE_REDIS_TLS_KEY_FILE", certificates.key("client").toString());
                proxy.put("CACHE_REDIS_USER", USER);
                proxy.put("CACHE_REDIS_PASSWORD", password);
                proxy.put("CACHE_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(random(32)));
                masters.addAll(masterPorts(cluster));
            }
            default -> throw new IllegalArgumentException("--kind single|cluster|cluster-tls, not " + kind);
        }
        StringBuilder proxyLines = new StringBuilder();
        proxy.forEach((k, v) -> proxyLines.append(k).append('=').append(v).append('\n'));
        write(proxyEnv, proxyLines.toString());
        write(envFile, "MASTER_PORTS='" + String.join(" ", masters.stream().map(String::valueOf).toList()) + "'\n");
        System.err.println("[redis-backend] " + kind + " ready, masters on " + masters);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (!Files.exists(stopFile) && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling a file the script writes
        }
        System.exit(0); // the shutdown hook stops what was started
    }

    private static List<Integer> masterPorts(RedisCluster cluster) {
        List<Integer> ports = new ArrayList<>();
        for (RedisProcess node : cluster.nodes()) {
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                if (jedis.info("replication").contains("role:master")) {
                    ports.add(node.port());
                }
            }
        }
        return ports;
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }

    private static void write(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
