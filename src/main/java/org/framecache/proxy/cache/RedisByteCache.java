package org.framecache.proxy.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Redis as the shared cache: MGET for lookups and one script call for writes and markers, so a request costs one
 * round trip each way whatever its frame count. The same commands serve one server, a Sentinel-watched primary and
 * a Redis Cluster: in a cluster the keys of one call are split by hash slot, one call per slot, and the frames of an
 * instance share a slot (the instance UID is the key's hash tag, see FrameCache), so a request is still one round
 * trip. Redis failures are misses and dropped writes, never request failures; the connection pools reconnect by
 * themselves when Redis comes back.
 */
public final class RedisByteCache implements ByteCache {
    private static final Logger LOG = LoggerFactory.getLogger(RedisByteCache.class);
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    /** SET with EX for every key (ARGV[1] the TTL, ARGV[i + 1] the value of KEYS[i]). */
    private static final byte[] WRITE = script("""
            for i, key in ipairs(KEYS) do redis.call('set', key, ARGV[i + 1], 'EX', ARGV[1]) end
            return #KEYS""");
    /** SET NX with PX for every key: 1 where this caller took the marker (ARGV[1] the owner, ARGV[2] ms). */
    private static final byte[] MARK = script("""
            local held = {}
            for i, key in ipairs(KEYS) do
              held[i] = redis.call('set', key, ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
            end
            return held""");
    /** Compare-and-delete: only markers whose value is still this owner's go. */
    private static final byte[] UNMARK = script("""
            for i, key in ipairs(KEYS) do
              if redis.call('get', key) == ARGV[1] then redis.call('del', key) end
            end
            return 0""");

    /** Opens the client: on first use, and again after a failed attempt once the retry time has passed. */
    private final Supplier<UnifiedJedis> connector;
    private final Object connecting = new Object();
    private volatile UnifiedJedis jedis;
    private volatile String lastConnectFailure = "";
    private final boolean cluster;
    private final long ttlSeconds;
    private final String location;
    private final String healthKey;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private final long retryNanos;
    /** This process's marker value: whoever deletes a marker must still own it. */
    private final byte[] owner = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    /** While Redis is away, requests skip it until this time (System.nanoTime), then one tries again. */
    private volatile long unavailableUntil = System.nanoTime();

    public RedisByteCache(String url, String password, Duration ttl, int timeoutMillis, int maxConnections,
                          Duration retryAfter) {
        this(RedisSettings.single(url, password, timeoutMillis, maxConnections), ttl, retryAfter);
    }

    public RedisByteCache(RedisSettings settings, Duration ttl, Duration retryAfter) {
        this(settings, ttl, retryAfter, "dwfc:");
    }

    /**
     * @param keyPrefix the prefix of every key the cache uses (cache.key-prefix): a cluster's health check reads a key
     *                  under it, where an ACL user limited to the cache's keys may read
     */
    public RedisByteCache(RedisSettings settings, Duration ttl, Duration retryAfter, String keyPrefix) {
        this.healthKey = keyPrefix + "health";
        this.connector = settings.connector(); // settings are checked now; the network is first asked on first use
        this.cluster = settings.cluster();
        this.retryNanos = retryAfter.toNanos();
        this.ttlSeconds = ttl.toSeconds();
        this.location = settings.location();
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        if (!isAvailable()) {
            return new ArrayList<>(Collections.nCopies(keys.size(), null));
        }
        try {
            List<byte[]> values = new ArrayList<>(Collections.nCopies(keys.size(), null));
            for (List<Integer> slot : bySlot(keys)) {
                List<byte[]> found = client().mget(encode(keys, slot).toArray(byte[][]::new));
                for (int i = 0; i < slot.size(); i++) {
                    values.set(slot.get(i), found.get(i));
                }
            }
            return values;
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
        try {
            List<Boolean> held = new ArrayList<>(Collections.nCopies(keys.size(), Boolean.FALSE));
            byte[] millis = Long.toString(expiry.toMillis()).getBytes(StandardCharsets.US_ASCII);
            for (List<Integer> slot : bySlot(keys)) {
                List<?> answers = (List<?>) client().eval(MARK, encode(keys, slot), List.of(owner, millis));
                for (int i = 0; i < slot.size(); i++) {
                    held.set(slot.get(i), Long.valueOf(1).equals(answers.get(i)));
                }
            }
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
        try {
            for (List<Integer> slot : bySlot(keys)) {
                client().eval(UNMARK, encode(keys, slot), List.of(owner));
            }
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
            if (cluster) {
                client().get(healthKey); // a cluster answers per slot: reaching the owner of one is the check
            } else {
                client().ping();
            }
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
        try {
            List<String> keys = new ArrayList<>(entries.keySet());
            byte[] ttl = Long.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
            for (List<Integer> slot : bySlot(keys)) {
                List<byte[]> values = new ArrayList<>(slot.size() + 1);
                values.add(ttl);
                slot.forEach(i -> values.add(entries.get(keys.get(i))));
                client().eval(WRITE, encode(keys, slot), values);
            }
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
        synchronized (connecting) {
            if (jedis != null) {
                jedis.close();
            }
        }
    }

    /**
     * The client, opened on first use: a cluster or sentinels unreachable when the proxy starts are a Redis that is
     * away (misses; tried again after the retry time), not a proxy that cannot start. One caller opens it; the
     * others wait for that attempt (bounded by the connect timeout per node) and do not repeat a failed one.
     */
    private UnifiedJedis client() {
        UnifiedJedis open = jedis;
        if (open != null) {
            return open;
        }
        synchronized (connecting) {
            if (jedis == null) {
                if (!isAvailable()) {
                    throw new JedisConnectionException("not connected: " + lastConnectFailure);
                }
                try {
                    jedis = connector.get();
                } catch (RuntimeException e) {
                    lastConnectFailure = e.getMessage();
                    throw e instanceof JedisException known ? known : new JedisConnectionException(e.getMessage(), e);
                }
            }
            return jedis;
        }
    }

    /**
     * The positions of the keys, grouped so that each group can go to Redis as one command: all of them for one
     * server; one group per hash slot in a cluster (a multi-key command must not cross slots).
     */
    private List<List<Integer>> bySlot(List<String> keys) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int slot = cluster ? JedisClusterCRC16.getSlot(keys.get(i)) : 0;
            groups.computeIfAbsent(slot, s -> new ArrayList<>(keys.size())).add(i);
        }
        return new ArrayList<>(groups.values());
    }

    private static List<byte[]> encode(List<String> keys, List<Integer> positions) {
        List<byte[]> encoded = new ArrayList<>(positions.size());
        for (int position : positions) {
            encoded.add(keys.get(position).getBytes(StandardCharsets.UTF_8));
        }
        return encoded;
    }

    private static byte[] script(String lua) {
        return lua.getBytes(StandardCharsets.UTF_8);
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
