package org.framecache.proxy.ops;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.framecache.proxy.frames.FrameCache;

/**
 * A readiness check for something the proxy can do without for a while: the frame cache (Redis away: every frame
 * comes from the store) and the store (unreachable: only cached frames are served). Either degrades the proxy but
 * every replica shares both, so marking replicas unready would stop everything; the check stays UP and says
 * "degraded" with the reason.
 */
public final class DegradedNotDownCheck extends AbstractHealthCheck {
    private final String what;
    private final Supplier<String> problem;
    private final String okMessage;

    /** @param problem the reason it is degraded right now, or null when it is fine */
    public DegradedNotDownCheck(String id, String what, String okMessage, Supplier<String> problem) {
        super("dicomweb", id);
        this.what = what;
        this.okMessage = okMessage;
        this.problem = problem;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String reason = problem.get();
        builder.detail(getId(), what);
        builder.detail("state", reason == null ? "ok" : "degraded");
        builder.message(reason == null ? okMessage : reason);
        builder.up();
    }

    /** The frame cache: degraded while its far tier (Redis) does not answer. */
    public static DegradedNotDownCheck frameCache(FrameCache cache) {
        return new DegradedNotDownCheck("frame-cache", cache.describe(), "frame cache available", () -> {
            String status = cache.status();
            return status.equals("up") ? null : "frame cache degraded: " + status;
        });
    }

    /** The store, as the circuit breaker sees it: degraded while the circuit is open. */
    public static DegradedNotDownCheck store(org.framecache.proxy.upstream.UpstreamBreaker breaker, String upstreamUrl) {
        return new DegradedNotDownCheck("store", upstreamUrl, "store reachable",
                () -> breaker.isOpen() ? "store unreachable (circuit open): serving cached frames only" : null);
    }
}
