package org.framecache.proxy.access;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.upstream.UpstreamStatusException;

/**
 * The store's access decisions, remembered per (caller fingerprint, instance) for auth.decision-ttl-seconds,
 * refusals included; with auth.per-caller=false, an acceptance of a caller without credentials also covers everyone
 * until the store refuses anyone.
 */
final class RememberedDecisions {
    /** Logged under the bean's name: operators look for the per-caller switch there. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceAccess.class);
    /** The key prefix of an acceptance shared by every caller (auth.per-caller=false). */
    private static final String SHARED = "*|";

    /** What the store answered: 200, or the refusal's status and WWW-Authenticate challenge. */
    record Decision(int status, String challenge) {
        boolean accepted() {
            return status == 200;
        }

        UpstreamStatusException refusal() {
            String what = switch (status) {
                case 401 -> "the store requires valid credentials for this instance";
                case 403 -> "the store refuses this caller access to the instance";
                default -> "no such instance in the store";
            };
            return new UpstreamStatusException(status, what + " (" + status + ")", challenge);
        }
    }

    private final Cache<String, Decision> decisions;
    /** Starts as auth.per-caller; a shared setting turns per caller for good once the store refuses anyone. */
    private volatile boolean perCaller;

    RememberedDecisions(boolean perCaller, Duration ttl) {
        this.perCaller = perCaller;
        this.decisions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    /**
     * This caller's remembered decision ({@code key}: its fingerprint and the instance); with auth.per-caller=false
     * and none of its own, the acceptance given to a caller without credentials, which covers everyone. A refusal,
     * or an acceptance of credentials, is never shared.
     */
    Decision get(FrameRequest request, String key) {
        Decision own = decisions.getIfPresent(key);
        return own != null || perCaller ? own : decisions.getIfPresent(SHARED + request.instancePath());
    }

    /** The store accepted this caller; without credentials and auth.per-caller=false, everyone. */
    void accept(FrameRequest request, String key) {
        decisions.put(key, new Decision(200, null));
        if (!perCaller && request.getForwardHeaders().isEmpty()) {
            // the store let in a caller without credentials: it lets in everyone (auth.per-caller=false)
            decisions.put(SHARED + request.instancePath(), new Decision(200, null));
        }
    }

    /** The store refused this caller: remembered for this caller only. */
    Decision refuse(String key, int status, String challenge) {
        Decision refusal = new Decision(status, challenge);
        decisions.put(key, refusal);
        return refusal;
    }

    /** True while one decision per instance is shared by every caller (auth.per-caller=false). */
    boolean shared() {
        return !perCaller;
    }

    /**
     * A store that refuses some caller authenticates: sharing one caller's acceptance with everyone would serve frames
     * to callers it refuses, and one caller's refusal would lock out the rest. Decisions become per caller from now on
     * (and those remembered so far are dropped).
     */
    synchronized void decidePerCaller(String why) {
        if (!perCaller) {
            perCaller = true;
            decisions.invalidateAll();
            LOG.error("auth.per-caller=false, but {}: the store authenticates callers, so access is now decided per caller."
                    + " Set auth.per-caller=true.", why);
        }
    }
}
