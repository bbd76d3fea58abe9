package org.framecache.proxy.testing;

import java.util.Map;

/**
 * A {@link RedisSentinel} set of the class's own as the proxy's shared cache: {@code cache.redis-sentinel-master} and
 * {@code cache.redis-sentinel-nodes} name it.
 */
public final class RedisSentinelResource extends TestResource<RedisSentinel> {

    private RedisSentinelResource() {
        super(false);
    }

    public static RedisSentinelResource own() {
        return new RedisSentinelResource();
    }

    @Override
    protected RedisSentinel start() {
        return RedisSentinel.start();
    }

    @Override
    protected Map<String, String> properties(RedisSentinel sentinel) {
        return Map.of("cache.redis-sentinel-master", RedisSentinel.MASTER,
                "cache.redis-sentinel-nodes", sentinel.sentinelNodes());
    }
}
