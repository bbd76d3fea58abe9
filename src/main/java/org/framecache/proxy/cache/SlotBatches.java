package org.framecache.proxy.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Keys grouped so that each group can go to Redis as one command: all of them for one server; one group per hash
 * slot in a cluster (a multi-key command must not cross slots). The frames of an instance share a slot (the
 * instance UID is the key's hash tag, see FrameCache), so a request is still one group.
 */
final class SlotBatches {
    private final boolean cluster;

    SlotBatches(boolean cluster) {
        this.cluster = cluster;
    }

    /** The positions of the keys, one list per command, in the order of their first key. */
    List<List<Integer>> of(List<String> keys) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int slot = cluster ? JedisClusterCRC16.getSlot(keys.get(i)) : 0;
            groups.computeIfAbsent(slot, s -> new ArrayList<>(keys.size())).add(i);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * What a failure of a call for this key makes requests skip ({@link RedisBackOff}): its cluster master, else
     * the whole of Redis.
     */
    Object nodeOf(RedisSettings.Client redis, String key) {
        if (!cluster) {
            return RedisBackOff.WHOLE;
        }
        HostAndPort node = redis.nodeOfSlot().apply(JedisClusterCRC16.getSlot(key));
        return node != null ? node : RedisBackOff.WHOLE;
    }

    /** The keys at these positions, as UTF-8. */
    static List<byte[]> encode(List<String> keys, List<Integer> positions) {
        List<byte[]> encoded = new ArrayList<>(positions.size());
        for (int position : positions) {
            encoded.add(keys.get(position).getBytes(StandardCharsets.UTF_8));
        }
        return encoded;
    }
}
