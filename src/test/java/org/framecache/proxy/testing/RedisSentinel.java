package org.framecache.proxy.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real Sentinel-watched pair: a primary and one replica (redis-server --replicaof), and three
 * {@code redis-server --sentinel} processes with quorum 2. Short down-after and failover timeouts, so that a
 * SIGKILLed primary is replaced within a few seconds.
 */
public final class RedisSentinel implements AutoCloseable {
    public static final String MASTER = "framecache";
    public static final int DOWN_AFTER_MILLIS = 500;
    public static final int FAILOVER_TIMEOUT_MILLIS = 2000;
    private static final int SENTINELS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final List<RedisProcess> servers;
    private final List<RedisProcess> sentinels;

    private RedisSentinel(List<RedisProcess> servers, List<RedisProcess> sentinels) {
        this.servers = servers;
        this.sentinels = sentinels;
    }

    public static RedisSentinel start() {
        List<RedisProcess> servers = new ArrayList<>();
        List<RedisProcess> sentinels = new ArrayList<>();
        try {
            RedisProcess primary = RedisProcess.start(List.of("--appendonly", "no"));
            servers.add(primary);
            servers.add(RedisProcess.start(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port()))));
            await("the replica to sync", () -> replicaInSync(servers.get(1)));
            String config = String.join("\n",
                    "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2",
                    "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MILLIS,
                    "sentinel failover-timeout " + MASTER + " " + FAILOVER_TIMEOUT_MILLIS,
                    "sentinel parallel-syncs " + MASTER + " 1");
            for (int i = 0; i < SENTINELS; i++) {
                sentinels.add(RedisProcess.sentinel(config));
            }
            RedisSentinel set = new RedisSentinel(servers, sentinels);
            // a failover needs every sentinel to know the replica and a quorum of the others (hello every 2 s)
            await("the sentinels to know each other and the replica", set::sentinelsReady);
            return set;
        } catch (RuntimeException e) {
            sentinels.forEach(RedisProcess::close);
            servers.forEach(RedisProcess::close);
            throw e;
        }
    }

    /** host:port of every sentinel, comma separated (cache.redis-sentinel-nodes). */
    public String sentinelNodes() {
        return sentinels.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** The server the sentinels name as primary now (asked of a live sentinel). */
    public RedisProcess primary() {
        int port = primaryPort();
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinels name an unknown primary :" + port));
    }

    /**
     * Waits until the sentinels have promoted another server than {@code old} and it answers as a master; returns
     * it. Polls processes we do not control.
     */
    public RedisProcess awaitFailoverFrom(RedisProcess old, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                RedisProcess now = primary();
                if (now != old && now.isAlive()) {
                    try (Jedis jedis = new Jedis("127.0.0.1", now.port())) {
                        if (jedis.info("replication").contains("role:master")) {
                            return now;
                        }
                    }
                }
            } catch (JedisException | IllegalStateException e) {
                // a sentinel or server between states
            }
            ChildProcesses.sleep(25);
        }
        throw new IllegalStateException("no failover from :" + old.port() + " within " + timeout.toMillis() + " ms");
    }

    private int primaryPort() {
        for (RedisProcess sentinel : sentinels) {
            if (sentinel.isAlive()) {
                try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port())) {
                    return Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER).get(1));
                } catch (JedisException e) {
                    // try the next sentinel
                }
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    private boolean sentinelsReady() {
        for (RedisProcess sentinel : sentinels) {
            try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port())) {
                Map<String, String> master = jedis.sentinelMaster(MASTER);
                if (!"1".equals(master.get("num-slaves"))
                        || !Integer.toString(SENTINELS - 1).equals(master.get("num-other-sentinels"))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean replicaInSync(RedisProcess replica) {
        try (Jedis jedis = new Jedis("127.0.0.1", replica.port())) {
            return jedis.info("replication").contains("master_link_status:up");
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + READY_TIMEOUT.toSeconds() + " s for " + what);
            }
            ChildProcesses.sleep(50); // polling processes we do not control
        }
    }

    @Override
    public void close() {
        sentinels.forEach(RedisProcess::close);
        servers.forEach(RedisProcess::close);
    }
}
