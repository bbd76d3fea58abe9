package org.framecache.proxy.testing;

import java.util.Map;

/** A real redis-server as the proxy's shared cache: {@code cache.redis-url} names it. */
public final class RedisResource extends TestResource<RedisProcess> {

    private RedisResource(boolean shared) {
        super(shared);
    }

    /** The redis-server shared by the whole run (tests keep apart by their own {@code cache.key-prefix}). */
    public static RedisResource shared() {
        return new RedisResource(true);
    }

    /** A redis-server of the class's own (for tests that kill or restart it). */
    public static RedisResource own() {
        return new RedisResource(false);
    }

    @Override
    protected RedisProcess start() {
        return isShared() ? RedisProcess.shared() : RedisProcess.start();
    }

    @Override
    protected Map<String, String> properties(RedisProcess redis) {
        return Map.of("cache.redis-url", redis.url());
    }
}
