package org.framecache.proxy.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

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
    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private final RedisConnection connection;
    private final RedisBackOff backOff;
    private final SlotBatches batches;
    private final boolean cluster;
    private final long ttlSeconds;
    private final String location;
    private final String healthKey;
    /** One rate limit shared by every warning here. */
    private final WarningInterval warnings = new WarningInterval(WARN_INTERVAL);
    private final LongAdder refusedWrites = new LongAdder();
    /** This process's marker value: whoever deletes a marker must still own it. */
    private final byte[] owner = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

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
        this.backOff = new RedisBackOff(retryAfter);
        // settings are checked now; the network is first asked on first use
        this.connection = new RedisConnection(settings.connector(), backOff);
        this.cluster = settings.cluster();
        this.batches = new SlotBatches(cluster);
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
        for (List<Integer> slot : batches.of(keys)) {
            Object node = batches.nodeOf(redis, keys.get(slot.get(0)));
            if (backOff.away(node)) {
                continue;
            }
            try {
                List<byte[]> found = redis.commands().mget(SlotBatches.encode(keys, slot).toArray(byte[][]::new));
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
        for (List<Integer> slot : batches.of(keys)) {
            Object node = batches.nodeOf(redis, keys.get(slot.get(0)));
            if (backOff.away(node)) {
                continue;
            }
            try {
                List<?> answers = (List<?>) redis.commands().eval(RedisScripts.MARK, SlotBatches.encode(keys, slot),
                        List.of(owner, millis));
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
        for (List<Integer> slot : batches.of(keys)) {
            Object node = batches.nodeOf(redis, keys.get(slot.get(0)));
            if (!backOff.away(node)) {
                try {
                    redis.commands().eval(RedisScripts.UNMARK, SlotBatches.encode(keys, slot), List.of(owner));
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
        for (List<Integer> slot : batches.of(keys)) {
            Object node = batches.nodeOf(redis, keys.get(slot.get(0)));
            if (backOff.away(node)) {
                continue;
            }
            List<byte[]> values = new ArrayList<>(slot.size() + 1);
            values.add(ttl);
            slot.forEach(i -> values.add(entries.get(keys.get(i))));
            try {
                redis.commands().eval(RedisScripts.WRITE, SlotBatches.encode(keys, slot), values);
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
        return !backOff.away(RedisBackOff.WHOLE);
    }

    /** Asks Redis itself (health checks are rare): "up", or why not, naming the cluster masters being skipped. */
    @Override
    public String status() {
        try {
            RedisSettings.Client redis = connection.client();
            if (cluster) {
                redis.commands().get(healthKey); // a cluster answers per slot: reaching the owner of one is the check
            } else {
                redis.commands().ping();
            }
        } catch (JedisException e) {
            return "unavailable, serving from the store: " + e.getMessage();
        }
        List<String> skipped = backOff.skippedMasters();
        return skipped.isEmpty() ? "up"
                : "partly unavailable, serving the slots of " + String.join(", ", skipped) + " from the store";
    }

    @Override
    public String describe() {
        return "Redis at " + location + " (ttl " + ttlSeconds + " s)";
    }

    @Override
    public void close() {
        connection.close();
    }

    /** The client, or null (and the whole of Redis skipped for the retry time) when it cannot be opened. */
    private RedisSettings.Client connected() {
        if (backOff.away(RedisBackOff.WHOLE)) {
            return null;
        }
        try {
            return connection.client();
        } catch (JedisException e) {
            failed(RedisBackOff.WHOLE, "connection", e);
            return null;
        }
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
        if (warnings.due()) {
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
        backOff.skip(node);
        if (warnings.due()) {
            LOG.warn("Redis {} failed at {}{}, serving {} from the store and retrying in {} ms: {}", operation, location,
                    node == RedisBackOff.WHOLE ? "" : " (master " + node + ")",
                    node == RedisBackOff.WHOLE ? "everything" : "its slots", backOff.retryMillis(), e.getMessage());
        }
    }
}
