package org.framecache.proxy.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Redis as the shared cache: MGET for lookups and one script call for writes and markers, so a request costs one
 * round trip each way whatever its frame count. The same commands serve one server, a Sentinel-watched primary and
 * a Redis Cluster: in a cluster the keys of one call are split by hash slot, one call per slot, and the frames of an
 * instance share a slot (the instance UID is the key's hash tag, see FrameCache), so a request is still one round
 * trip. Redis failures are misses and dropped writes, never request failures; after one, requests skip what failed
 * for the retry time: the whole of Redis for one server or Sentinel, only that master in a cluster (the instances on
 * the other masters are still served). The client reconnects by itself when Redis comes back.
 */
public final class RedisByteCache implements ByteCache {
    private static final Logger LOG = LoggerFactory.getLogger(RedisByteCache.class);
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    /** The back-off key for the whole of Redis (not connected; one server; Sentinel's primary). */
    private static final Object WHOLE = "all of Redis";

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
    private final Supplier<RedisSettings.Client> connector;
    private final Object connecting = new Object();
    private volatile RedisSettings.Client client;
    private volatile String lastConnectFailure = "";
    private final boolean cluster;
    private final long ttlSeconds;
    private final String location;
    private final String healthKey;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private final java.util.concurrent.atomic.LongAdder refusedWrites = new java.util.concurrent.atomic.LongAdder();
    private final long retryNanos;
    /** This process's marker value: whoever deletes a marker must still own it. */
    private final byte[] owner = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    /** Until when (System.nanoTime) requests skip Redis: {@link #WHOLE}, or a cluster master by its address. */
    private final Map<Object, Long> awayUntil = new ConcurrentHashMap<>();

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
        List<byte[]> values = new ArrayList<>(Collections.nCopies(keys.size(), null));
        RedisSettings.Client redis = connected();
        if (redis == null) {
            return values;
        }
        for (List<Integer> slot : bySlot(keys)) {
            Object node = nodeOf(redis, keys.get(slot.get(0)));
            if (away(node)) {
                continue;
            }
            try {
                List<byte[]> found = redis.commands().mget(encode(keys, slot).toArray(byte[][]::new));
                for (int i = 0; i < slot.size(); i++) {
                    values.set(slot.get(i), found.get(i));
                }
            } catch (JedisException e) {
                failed(node, "lookup", e);
            }
        }
        return values;
    }

    /** Where Redis cannot be asked, the caller holds the marker: it fetches the frame itself. */
    @Override
    public List<Boolean> mark(List<String> keys, Duration expiry) {
        List<Boolean> held = new ArrayList<>(Collections.nCopies(keys.size(), Boolean.TRUE));
        RedisSettings.Client redis = connected();
        if (redis == null) {
            return held;
        }
        byte[] millis = Long.toString(expiry.toMillis()).getBytes(StandardCharsets.US_ASCII);
        for (List<Integer> slot : bySlot(keys)) {
            Object node = nodeOf(redis, keys.get(slot.get(0)));
            if (away(node)) {
                continue;
            }
            try {
                List<?> answers = (List<?>) redis.commands().eval(MARK, encode(keys, slot), List.of(owner, millis));
                for (int i = 0; i < slot.size(); i++) {
                    held.set(slot.get(i), Long.valueOf(1).equals(answers.get(i)));
                }
            } catch (JedisException e) {
                failed(node, "marker", e);
            }
        }
        return held;
    }

    /**
     * Removes only markers this process still holds: one that expired and was taken by another replica meanwhile
     * stays (compare-and-delete in one script, so nothing can slip in between).
     */
    @Override
    public void unmark(List<String> keys) {
        RedisSettings.Client redis = keys.isEmpty() ? null : connected();
        if (redis == null) {
            return;
        }
        for (List<Integer> slot : bySlot(keys)) {
            Object node = nodeOf(redis, keys.get(slot.get(0)));
            if (!away(node)) {
                try {
                    redis.commands().eval(UNMARK, encode(keys, slot), List.of(owner));
                } catch (JedisException e) {
                    failed(node, "marker removal", e);
                }
            }
        }
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        RedisSettings.Client redis = entries.isEmpty() ? null : connected();
        if (redis == null) {
            return;
        }
        List<String> keys = new ArrayList<>(entries.keySet());
        byte[] ttl = Long.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
        for (List<Integer> slot : bySlot(keys)) {
            Object node = nodeOf(redis, keys.get(slot.get(0)));
            if (away(node)) {
                continue;
            }
            List<byte[]> values = new ArrayList<>(slot.size() + 1);
            values.add(ttl);
            slot.forEach(i -> values.add(entries.get(keys.get(i))));
            try {
                redis.commands().eval(WRITE, encode(keys, slot), values);
            } catch (JedisException e) {
                if (refusedWrite(e)) {
                    warnRefused(e);
                } else {
                    failed(node, "write", e);
                }
            }
        }
    }

    /**
     * False while the whole of Redis is known to be away (not connected, or the one server or primary failed): a
     * miss then costs nothing instead of a timeout per request. A single cluster master away does not count here.
     */
    @Override
    public boolean isAvailable() {
        return !away(WHOLE);
    }

    /** Asks Redis itself (health checks are rare): "up", or why not, naming the cluster masters being skipped. */
    @Override
    public String status() {
        try {
            RedisSettings.Client redis = client();
            if (cluster) {
                redis.commands().get(healthKey); // a cluster answers per slot: reaching the owner of one is the check
            } else {
                redis.commands().ping();
            }
        } catch (JedisException e) {
            return "unavailable, serving from the store: " + e.getMessage();
        }
        List<String> skipped = new ArrayList<>();
        awayUntil.forEach((node, until) -> {
            if (node != WHOLE && System.nanoTime() - until < 0) {
                skipped.add(node.toString());
            }
        });
        return skipped.isEmpty() ? "up"
                : "partly unavailable, serving the slots of " + String.join(", ", skipped) + " from the store";
    }

    @Override
    public String describe() {
        return "Redis at " + location + " (ttl " + ttlSeconds + " s)";
    }

    @Override
    public void close() {
        synchronized (connecting) {
            if (client != null) {
                client.close();
            }
        }
    }

    /** The client, or null (and the whole of Redis skipped for the retry time) when it cannot be opened. */
    private RedisSettings.Client connected() {
        if (away(WHOLE)) {
            return null;
        }
        try {
            return client();
        } catch (JedisException e) {
            failed(WHOLE, "connection", e);
            return null;
        }
    }

    /**
     * The client, opened on first use: a cluster or sentinels unreachable when the proxy starts are a Redis that is
     * away (misses; tried again after the retry time), not a proxy that cannot start. One caller opens it; the
     * others wait for that attempt (bounded by the connect timeout per node) and do not repeat a failed one.
     */
    private RedisSettings.Client client() {
        RedisSettings.Client open = client;
        if (open != null) {
            return open;
        }
        synchronized (connecting) {
            if (client == null) {
                if (away(WHOLE)) {
                    throw new JedisConnectionException("not connected: " + lastConnectFailure);
                }
                try {
                    client = connector.get();
                } catch (RuntimeException e) {
                    lastConnectFailure = e.getMessage();
                    throw e instanceof JedisException known ? known : new JedisConnectionException(e.getMessage(), e);
                }
            }
            return client;
        }
    }

    /** What a failure of a call for this key makes requests skip: its cluster master, else the whole of Redis. */
    private Object nodeOf(RedisSettings.Client redis, String key) {
        if (!cluster) {
            return WHOLE;
        }
        HostAndPort node = redis.nodeOfSlot().apply(JedisClusterCRC16.getSlot(key));
        return node != null ? node : WHOLE;
    }

    private boolean away(Object node) {
        Long until = awayUntil.get(node);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        awayUntil.remove(node, until);
        return false;
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

    /**
     * Redis answered, refusing the write itself (OOM under maxmemory with noeviction, NOPERM of an ACL): it still
     * serves reads, so only the write is lost; not a cluster's own errors (CLUSTERDOWN, TRYAGAIN), which mean its node.
     */
    private static boolean refusedWrite(JedisException e) {
        return e instanceof redis.clients.jedis.exceptions.JedisDataException
                && !(e instanceof redis.clients.jedis.exceptions.JedisClusterException)
                && !(e instanceof redis.clients.jedis.exceptions.JedisRedirectionException);
    }

    private void warnRefused(JedisException e) {
        refusedWrites.increment();
        if (warningDue()) {
            LOG.warn("Redis at {} refused a write ({}): frames are not shared until it takes them; reads go on",
                    location, e.getMessage());
        }
    }

    /** Writes Redis answered with a refusal (full under noeviction, an ACL without the right). */
    public long getRefusedWrites() {
        return refusedWrites.sum();
    }

    /**
     * Skips what failed (a cluster master, or the whole of Redis) for a while; one warning per interval, so an outage
     * does not flood the log at request rate.
     */
    private void failed(Object node, String operation, JedisException e) {
        awayUntil.put(node, System.nanoTime() + retryNanos);
        if (warningDue()) {
            LOG.warn("Redis {} failed at {}{}, serving {} from the store and retrying in {} ms: {}", operation, location,
                    node == WHOLE ? "" : " (master " + node + ")", node == WHOLE ? "everything" : "its slots",
                    retryNanos / 1_000_000, e.getMessage());
        }
    }

    /** True at most once per warning interval, shared by every warning here. */
    private boolean warningDue() {
        long now = System.nanoTime();
        long last = lastWarning.get();
        return now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now);
    }
}
