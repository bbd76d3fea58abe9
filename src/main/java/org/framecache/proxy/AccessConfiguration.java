package org.framecache.proxy;

import java.time.Duration;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.ops.AccessLog;

/**
 * Who may see an instance (the store's decision, remembered per caller or shared) and the record of who was served
 * what: the access log and the audit.
 */
public class AccessConfiguration implements CamelConfiguration {
    @PropertyInject("auth.per-caller")
    boolean perCallerAccess;
    @PropertyInject("auth.decision-ttl-seconds")
    long decisionTtlSeconds;
    @PropertyInject("auth.hmac-key")
    String hmacKey;
    @PropertyInject("cache.ttl-seconds")
    long ttlSeconds;
    @PropertyInject("proxy.coalesce-wait-ms")
    long coalesceWaitMillis;
    @PropertyInject("proxy.upstream-deadline-ms")
    long upstreamDeadlineMillis;
    @PropertyInject("access-log.endpoint")
    String accessLogEndpoint;
    @PropertyInject("access-log.format")
    String accessLogFormat;
    @PropertyInject("audit.endpoint")
    String auditEndpoint;

    @Override
    public void configure(CamelContext context) {
        InstanceAccess access = new InstanceAccess(perCallerAccess, Duration.ofSeconds(decisionTtlSeconds),
                Duration.ofSeconds(ttlSeconds), hmacKey, coalesceWaitMillis);
        access.setCallerDeadlineMillis(upstreamDeadlineMillis);
        context.getRegistry().bind("instanceAccess", access);
        AccessLog accessLog = new AccessLog(context.createProducerTemplate(), access, accessLogEndpoint, auditEndpoint,
                accessLogFormat);
        context.getRegistry().bind("accessLog", accessLog);
        ClosedOnStop.register(context, "the access log", accessLog::close);
    }
}
