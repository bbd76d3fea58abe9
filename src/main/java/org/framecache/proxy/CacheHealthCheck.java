package org.framecache.proxy;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the frame cache. A Redis outage degrades the proxy (every frame comes from the store) but does not
 * make it unready, so the check stays UP and says "degraded" in its details.
 */
public final class CacheHealthCheck extends AbstractHealthCheck {
    private final FrameCache cache;

    public CacheHealthCheck(FrameCache cache) {
        super("dicomweb", "frame-cache");
        this.cache = cache;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String status = cache.status();
        boolean up = status.equals("up");
        builder.detail("cache", cache.describe());
        builder.detail("state", up ? "ok" : "degraded");
        builder.message(up ? "frame cache available" : "frame cache degraded: " + status);
        builder.up();
    }
}
