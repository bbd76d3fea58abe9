package org.framecache.proxy;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.framecache.proxy.http.UpstreamBreaker;

/**
 * Readiness of the upstream store, as the circuit breaker sees it. An unreachable store degrades the proxy (only
 * cached frames can be served) but every replica shares the same store: marking them all unready would stop the
 * cached frames too. So the check stays UP and says "degraded" while the circuit is open.
 */
public final class StoreHealthCheck extends AbstractHealthCheck {
    private final UpstreamBreaker breaker;
    private final String upstreamUrl;

    public StoreHealthCheck(UpstreamBreaker breaker, String upstreamUrl) {
        super("dicomweb", "store");
        this.breaker = breaker;
        this.upstreamUrl = upstreamUrl;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean open = breaker.isOpen();
        builder.detail("store", upstreamUrl);
        builder.detail("state", open ? "degraded" : "ok");
        builder.message(open ? "store unreachable (circuit open): serving cached frames only" : "store reachable");
        builder.up();
    }
}
