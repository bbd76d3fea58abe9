package org.framecache.proxy.http;

import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.TimeValue;

/**
 * Keep-alive connections to the store are closed by the proxy before the store closes them: Orthanc drops an
 * idle connection after one second, and a request sent on a connection the store has just closed fails (and is sent
 * again). A background sweep every {@code maxIdleMillis} closes connections idle for longer, so none is kept idle
 * for more than twice that. Applied to every camel-http client (camel.component.http.http-client-configurer).
 */
public final class UpstreamConnections implements HttpClientConfigurer {
    private final long maxIdleMillis;

    public UpstreamConnections(long maxIdleMillis) {
        this.maxIdleMillis = maxIdleMillis;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        if (maxIdleMillis > 0) {
            builder.evictIdleConnections(TimeValue.of(maxIdleMillis, TimeUnit.MILLISECONDS));
        }
    }
}
