package org.framecache.proxy.cache;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import javax.net.ssl.SSLParameters;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where the shared tier lives and how to reach it: one server ({@code cache.redis-url}), a Redis Cluster
 * ({@code cache.redis-cluster-nodes}) or a primary watched by Sentinel ({@code cache.redis-sentinel-master} and
 * {@code -nodes}); exactly one of the three. TLS by {@code rediss://} or {@code cache.redis-tls}, with PEM files;
 * ACL user and password. Every connection is pooled and every call bounded by the timeout.
 */
public record RedisSettings(String url, String clusterNodes, String sentinelMaster, String sentinelNodes,
                            String user, String password, String sentinelPassword, boolean tls, String caFile,
                            String certFile, String keyFile, boolean verifyHostname, int timeoutMillis,
                            int maxConnections) {

    /** One plain server (tests, and the historical constructor of {@link RedisByteCache}). */
    public static RedisSettings single(String url, String password, int timeoutMillis, int maxConnections) {
        return new RedisSettings(url, "", "", "", "", password, "", false, "", "", "", true, timeoutMillis,
                maxConnections);
    }

    /** True when any of the three forms is set: the proxy then puts Redis behind its in-process tier. */
    public boolean configured() {
        return !blank(url) || !blank(clusterNodes) || !blank(sentinelMaster);
    }

    public boolean cluster() {
        return !blank(clusterNodes);
    }

    /**
     * An open client: its commands, and for a cluster the master that serves a hash slot now (null for one server or
     * Sentinel), so that a failing master can be told apart from the rest.
     */
    public record Client(UnifiedJedis commands, IntFunction<HostAndPort> nodeOfSlot) implements AutoCloseable {
        @Override
        public void close() {
            commands.close();
        }
    }

    /**
     * Checks every setting now (one form, node lists, the URL, the TLS files: a mistake stops the start with a clear
     * message) and returns what opens the client. Opening talks to the network for a cluster (the slot map) and for
     * Sentinel (the primary's address), and fails while they are unreachable; a single server's connections are made
     * on first use.
     */
    public Supplier<Client> connector() {
        int forms = (blank(url) ? 0 : 1) + (blank(clusterNodes) ? 0 : 1) + (blank(sentinelMaster) ? 0 : 1);
        if (forms != 1) {
            throw new IllegalArgumentException("set exactly one of cache.redis-url, cache.redis-cluster-nodes and "
                    + "cache.redis-sentinel-master (found " + forms + ")");
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(Duration.ofMillis(timeoutMillis));
        if (cluster()) {
            Set<HostAndPort> seeds = nodes(clusterNodes, "cache.redis-cluster-nodes");
            JedisClientConfig config = clientConfig(tls, user, password, 0);
            // MOVED/ASK are followed by the client; retries (slot map refreshes) end at the timeout
            return () -> {
                ClusterConnectionProvider provider = new ClusterConnectionProvider(seeds, config, pool);
                return new Client(new JedisCluster(provider, 3, Duration.ofMillis(timeoutMillis)), provider::getNode);
            };
        }
        if (!blank(sentinelMaster)) {
            if (blank(sentinelNodes)) {
                throw new IllegalArgumentException("cache.redis-sentinel-master needs cache.redis-sentinel-nodes");
            }
            Set<HostAndPort> sentinels = nodes(sentinelNodes, "cache.redis-sentinel-nodes");
            JedisClientConfig primaryConfig = clientConfig(tls, user, password, 0);
            JedisClientConfig sentinelConfig = clientConfig(tls, "", sentinelPassword, 0);
            String master = sentinelMaster.strip();
            return () -> new Client(new JedisSentineled(master, primaryConfig, pool, sentinels, sentinelConfig),
                    slot -> null);
        }
        URI uri = parse(url);
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("cache.redis-url must be redis://host:port or rediss://host:port");
        }
        String effectiveUser = blank(user) ? JedisURIHelper.getUser(uri) : user;
        String effectivePassword = blank(password) ? JedisURIHelper.getPassword(uri) : password;
        JedisClientConfig config = clientConfig(tls || JedisURIHelper.isRedisSSLScheme(uri), effectiveUser,
                effectivePassword, JedisURIHelper.getDBIndex(uri));
        HostAndPort server = JedisURIHelper.getHostAndPort(uri);
        return () -> new Client(new JedisPooled(server, config, pool), slot -> null);
    }

    /** The URL as a URI; a malformed one is an error that does not repeat it (it may hold a password). */
    private static URI parse(String url) {
        try {
            return new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cache.redis-url is not a valid URI (percent-encode the password, or set it"
                    + " in cache.redis-password instead)");
        }
    }

    /** For logs and health: where, never credentials. */
    public String location() {
        if (cluster()) {
            return "Redis Cluster " + clusterNodes.strip() + (tls ? " (TLS)" : "");
        }
        if (!blank(sentinelMaster)) {
            return "Redis primary '" + sentinelMaster.strip() + "' via Sentinel " + sentinelNodes.strip()
                    + (tls ? " (TLS)" : "");
        }
        URI uri = parse(url);
        return (tls && "redis".equals(uri.getScheme()) ? "rediss" : uri.getScheme()) + "://" + uri.getHost() + ":"
                + uri.getPort();
    }

    private JedisClientConfig clientConfig(boolean useTls, String clientUser, String clientPassword, int database) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(blank(clientUser) ? null : clientUser)
                .password(blank(clientPassword) ? null : clientPassword)
                .database(database)
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("dicomweb-frame-cache")
                .ssl(useTls);
        if (useTls) {
            config.sslSocketFactory(PemTlsContext.socketFactory(caFile, certFile, keyFile));
            SSLParameters parameters = new SSLParameters();
            if (verifyHostname) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host or IP
            }
            config.sslParameters(parameters);
        }
        return config.build();
    }

    private static Set<HostAndPort> nodes(String list, String property) {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String node : list.split(",")) {
            if (!node.isBlank()) {
                try {
                    nodes.add(HostAndPort.from(node.strip()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(property + ": an entry is not host:port (entries are not repeated"
                            + " here: they may hold credentials)");
                }
            }
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(property + " names no host:port");
        }
        return nodes;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return location(); // never the password
    }
}
