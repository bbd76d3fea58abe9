package org.framecache.proxy.cache;

import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts {@link RedisByteCache} sends with EVAL: one call writes, marks or unmarks every key of a batch
 * (all in one hash slot in a cluster), so a request costs one round trip whatever its frame count.
 */
final class RedisScripts {
    /** SET with EX for every key (ARGV[1] the TTL, ARGV[i + 1] the value of KEYS[i]). */
    static final byte[] WRITE = script("""
            for i, key in ipairs(KEYS) do redis.call('set', key, ARGV[i + 1], 'EX', ARGV[1]) end
            return #KEYS""");
    /** SET NX with PX for every key: 1 where this caller took the marker (ARGV[1] the owner, ARGV[2] ms). */
    static final byte[] MARK = script("""
            local held = {}
            for i, key in ipairs(KEYS) do
              held[i] = redis.call('set', key, ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
            end
            return held""");
    /** Compare-and-delete: only markers whose value is still this owner's go. */
    static final byte[] UNMARK = script("""
            for i, key in ipairs(KEYS) do
              if redis.call('get', key) == ARGV[1] then redis.call('del', key) end
            end
            return 0""");

    private RedisScripts() {
    }

    private static byte[] script(String lua) {
        return lua.getBytes(StandardCharsets.UTF_8);
    }
}
