package org.framecache.proxy.cache;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Redis as the shared cache: MGET for lookups and one pipeline of SETEX for writes, so a request costs one round
 * trip each way whatever its frame count. Redis failures are misses and dropped writes, never request failures;
 * the connection pool reconnects by itself when Redis comes back.
 */
public final class RedisByteCache implements ByteCache {
    private static final Logger LOG = LoggerFactory.getLogger(RedisByteCache.class);
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final JedisPooled jedis;
    private final long ttlSeconds;
    private final String location;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private final long retryNanos;
    /** This process's marker value: whoever deletes a marker must still own it. */
    private final String owner = java.util.UUID.randomUUID().toString();
    private static final String DELETE_IF_OWNER =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    /** While Redis is away, requests skip it until this time (System.nanoTime), then one tries again. */
    private volatile long unavailableUntil = System.nanoTime();

    public RedisByteCache(String url, String password, Duration ttl, int timeoutMillis, int maxConnections,
                          Duration retryAfter) {
        this.retryNanos = retryAfter.toNanos();
        URI uri = URI.create(url);
        String effectivePassword = password == null || password.isEmpty() ? JedisURIHelper.getPassword(uri) : password;
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(effectivePassword)
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("dicomweb-frame-cache")
                .build();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(Duration.ofMillis(timeoutMillis));
        this.jedis = new JedisPooled(JedisURIHelper.getHostAndPort(uri), config, pool);
        this.ttlSeconds = ttl.toSeconds();
        this.location = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        if (!isAvailable()) {
            return new ArrayList<>(Collections.nCopies(keys.size(), null));
        }
        try {
            return jedis.mget(encode(keys));
        } catch (JedisException e) {
            failed("lookup", e);
            return new ArrayList<>(Collections.nCopies(keys.size(), null));
        }
    }

    @Override
    public List<Boolean> mark(List<String> keys, Duration expiry) {
        if (!isAvailable()) {
            return new ArrayList<>(Collections.nCopies(keys.size(), Boolean.TRUE));
        }
        try (AbstractPipeline pipeline = (AbstractPipeline) jedis.pipelined()) {
            List<Response<String>> answers = new ArrayList<>(keys.size());
            SetParams params = SetParams.setParams().nx().px(expiry.toMillis());
            for (String key : keys) {
                answers.add(pipeline.set(key, owner, params));
            }
            pipeline.sync();
            List<Boolean> held = new ArrayList<>(keys.size());
            answers.forEach(answer -> held.add("OK".equals(answer.get())));
            return held;
        } catch (JedisException e) {
            failed("marker", e);
            return new ArrayList<>(Collections.nCopies(keys.size(), Boolean.TRUE));
        }
    }

    /**
     * Removes only markers this process still holds: one that expired and was taken by another replica meanwhile
     * stays (compare-and-delete in one script, so nothing can slip in between).
     */
    @Override
    public void unmark(List<String> keys) {
        if (keys.isEmpty() || !isAvailable()) {
            return;
        }
        try (AbstractPipeline pipeline = (AbstractPipeline) jedis.pipelined()) {
            for (String key : keys) {
                pipeline.eval(DELETE_IF_OWNER, List.of(key), List.of(owner));
            }
            pipeline.sync();
        } catch (JedisException e) {
            failed("marker removal", e);
        }
    }

    /** False while Redis is known to be away: a miss costs nothing instead of a timeout per request. */
    @Override
    public boolean isAvailable() {
        return System.nanoTime() - unavailableUntil >= 0;
    }

    /** Asks Redis itself (health checks are rare): "up", or why not. */
    @Override
    public String status() {
        try {
            jedis.ping();
            return "up";
        } catch (JedisException e) {
            return "unavailable, serving from the store: " + e.getMessage();
        }
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        if (entries.isEmpty() || !isAvailable()) {
            return;
        }
        try (AbstractPipeline pipeline = (AbstractPipeline) jedis.pipelined()) {
            entries.forEach((key, value) -> pipeline.setex(key.getBytes(StandardCharsets.UTF_8), ttlSeconds, value));
            pipeline.sync();
        } catch (JedisException e) {
            failed("write", e);
        }
    }

    @Override
    public String describe() {
        return "Redis at " + location + " (ttl " + ttlSeconds + " s)";
    }

    @Override
    public void close() {
        jedis.close();
    }

    private static byte[][] encode(List<String> keys) {
        byte[][] encoded = new byte[keys.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return encoded;
    }

    /** Skips Redis for a while; one warning per interval, so an outage does not flood the log at request rate. */
    private void failed(String operation, JedisException e) {
        unavailableUntil = System.nanoTime() + retryNanos;
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Redis {} failed at {}, serving from the store and retrying in {} ms: {}", operation, location,
                    retryNanos / 1_000_000, e.getMessage());
        }
    }
}
