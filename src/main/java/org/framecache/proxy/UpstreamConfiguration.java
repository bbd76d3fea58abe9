package org.framecache.proxy;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.framecache.proxy.inbound.PublicBaseUrl;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.upstream.PassThrough;
import org.framecache.proxy.upstream.StreamedRequestBody;
import org.framecache.proxy.upstream.UpstreamBreaker;
import org.framecache.proxy.upstream.UpstreamCallCounter;
import org.framecache.proxy.upstream.UpstreamConnections;
import org.framecache.proxy.upstream.UpstreamDeadlines;
import org.framecache.proxy.upstream.UpstreamRequest;
import org.framecache.proxy.upstream.UpstreamResponse;

/** How the proxy calls the store: requests and answers, connections with deadlines, the breaker, pass-through. */
public class UpstreamConfiguration implements CamelConfiguration {
    /** One thread aborting store calls at their deadline, for every camel-http client. */
    private final UpstreamDeadlines deadlines = new UpstreamDeadlines();

    @PropertyInject("proxy.breaker-failures")
    int breakerFailures;
    @PropertyInject("proxy.breaker-open-ms")
    long breakerOpenMillis;

    @BindToRegistry
    public UpstreamRequest upstreamRequest() {
        return new UpstreamRequest();
    }

    @BindToRegistry
    public UpstreamResponse upstreamResponse() {
        return new UpstreamResponse();
    }

    @BindToRegistry
    public MultipartRelatedReader multipartRelatedReader(@PropertyInject("proxy.max-part-bytes") int maxPartBytes) {
        return new MultipartRelatedReader(maxPartBytes);
    }

    @BindToRegistry
    public UpstreamConnections upstreamConnections(@PropertyInject("proxy.upstream-max-idle-ms") long maxIdleMillis,
                                                   @PropertyInject("proxy.upstream-deadline-ms") long deadlineMillis) {
        return new UpstreamConnections(maxIdleMillis, deadlineMillis, deadlines);
    }

    /** For the calls that move whole instances (prefetch, pass-through): a longer deadline. */
    @BindToRegistry
    public UpstreamConnections upstreamBulkConnections(@PropertyInject("proxy.upstream-max-idle-ms") long maxIdleMillis,
                                                       @PropertyInject("proxy.upstream-bulk-deadline-ms") long deadlineMillis) {
        return new UpstreamConnections(maxIdleMillis, deadlineMillis, deadlines);
    }

    @BindToRegistry
    public StreamedRequestBody streamedRequestBody(@PropertyInject("proxy.max-request-body-bytes") long maxBytes,
                                                   @PropertyInject("proxy.request-body-idle-ms") long idleMillis) {
        return new StreamedRequestBody(maxBytes, idleMillis);
    }

    @BindToRegistry
    public PassThrough passThrough(@PropertyInject("proxy.prefix") String prefix,
                                   @PropertyInject("proxy.forward-headers") String forwardHeaders,
                                   @PropertyInject("proxy.allow-delete") boolean deleteAllowed,
                                   @PropertyInject("proxy.upstream-url") String upstreamUrl,
                                   @PropertyInject("proxy.trusted-proxies") String trustedProxies) {
        return new PassThrough(prefix, Settings.list(forwardHeaders), deleteAllowed, upstreamUrl,
                new PublicBaseUrl(Settings.list(trustedProxies)));
    }

    /** The breaker and the call counter watch the store the routes really call (the local store's, when set). */
    @Override
    public void configure(CamelContext context) {
        String upstreamUrl = Settings.upstreamUrl(context);
        UpstreamBreaker breaker = new UpstreamBreaker(upstreamUrl, breakerFailures, breakerOpenMillis);
        context.getRegistry().bind("upstreamBreaker", breaker);
        context.getManagementStrategy().addEventNotifier(breaker);
        deadlines.onExpired(breaker::deadlinePassed);

        UpstreamCallCounter counter = new UpstreamCallCounter(upstreamUrl);
        context.getRegistry().bind("upstreamCalls", counter);
        context.getManagementStrategy().addEventNotifier(counter);
        ClosedOnStop.register(context, "the upstream deadlines", deadlines::close);
    }
}
