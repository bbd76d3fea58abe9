package org.framecache.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;

/**
 * A real local Redis Cluster: three masters and three replicas (redis-server --cluster-enabled yes, each with its
 * own bus port), joined by {@code redis-cli --cluster create ... --cluster-replicas 1}. A short node timeout so a
 * replica takes over a dead master within a few seconds; full coverage not required (a cache's setting).
 */
public final class RedisCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    public static final int NODE_TIMEOUT_MILLIS = 1000;

    private final List<RedisProcess> nodes;
    /** Each node's TLS port, in the order of {@link #nodes}; empty for a plain cluster. */
    private final List<Integer> tlsPorts;

    private RedisCluster(List<RedisProcess> nodes, List<Integer> tlsPorts) {
        this.nodes = nodes;
        this.tlsPorts = tlsPorts;
    }

    public static RedisCluster start() {
        return start(List.of());
    }

    /** With more options for every node (e.g. an ACL user). */
    public static RedisCluster start(List<String> extraArgs) {
        return start(extraArgs, null);
    }

    /**
     * Clients reach it over mutual TLS only on {@link #seeds()} (certificates from {@code certificates}: "server" for
     * the nodes, "client" for them as each other's clients); the cluster bus and replication are TLS too. The plain
     * ports stay open on loopback for the test's own administration (cluster creation, health, slot queries).
     */
    public static RedisCluster startTls(TestCertificates certificates, List<String> extraArgs) {
        return start(extraArgs, certificates);
    }

    private static RedisCluster start(List<String> extraArgs, TestCertificates certificates) {
        List<RedisProcess> nodes = new ArrayList<>();
        List<Integer> tlsPorts = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MILLIS),
                        // as src/site/markdown/redis.md advises for a cache: the other masters keep serving while one's slots are down
                        "--cluster-require-full-coverage", "no",
                        "--cluster-port", Integer.toString(FreePorts.loopback()),
                        "--appendonly", "no"));
                if (certificates != null) {
                    int tlsPort = FreePorts.loopback();
                    tlsPorts.add(tlsPort);
                    args.addAll(List.of("--tls-port", Integer.toString(tlsPort),
                            "--tls-cluster", "yes", "--tls-replication", "yes",
                            "--tls-cert-file", certificates.cert("server").toString(),
                            "--tls-key-file", certificates.key("server").toString(),
                            "--tls-client-cert-file", certificates.cert("client").toString(),
                            "--tls-client-key-file", certificates.key("client").toString(),
                            "--tls-ca-cert-file", certificates.cert("ca").toString(),
                            "--tls-auth-clients", "yes"));
                }
                args.addAll(extraArgs);
                nodes.add(RedisProcess.start(args));
            }
            RedisCluster cluster = new RedisCluster(nodes, tlsPorts);
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisProcess::close);
            throw e;
        }
    }

    /** host:port of every node, comma separated (cache.redis-cluster-nodes): the TLS ports of a TLS cluster. */
    public String seeds() {
        if (!tlsPorts.isEmpty()) {
            return tlsPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        }
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public List<RedisProcess> nodes() {
        return nodes;
    }

    /** The node serving a hash slot as master now (asked of a live node). */
    public RedisProcess masterOf(int slot) {
        for (RedisProcess node : nodes) {
            if (!node.isAlive()) {
                continue;
            }
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                for (Object range : jedis.clusterSlots()) {
                    List<?> r = (List<?>) range;
                    if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                        long port = (Long) ((List<?>) r.get(2)).get(1);
                        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
                    }
                }
            }
        }
        throw new IllegalStateException("no live node knows slot " + slot);
    }

    /** True when every live node reports cluster_state:ok. */
    public boolean healthy() {
        for (RedisProcess node : nodes) {
            if (node.isAlive()) {
                try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                    if (!jedis.clusterInfo().contains("cluster_state:ok")) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(
                ChildProcesses.requireBinary("redis-cli", "redis-tools").toString(), "--cluster", "create"));
        nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!cli.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish");
            }
            String output = new String(cli.getInputStream().readAllBytes());
            if (cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!healthy() || !replicasInSync()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not become ready in " + READY_TIMEOUT.toSeconds() + " s");
            }
            ChildProcesses.sleep(50); // polling a process we do not control
        }
    }

    private boolean replicasInSync() {
        for (RedisProcess node : nodes) {
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                String replication = jedis.info("replication");
                if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
