package org.framecache.proxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.framecache.proxy.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * The overall deadline's abort can land while the client is still setting up the connection; the client then fails
 * with its own state error rather than an IOException. Past the deadline the caller must see the deadline (a 504),
 * not that error (a 500).
 */
class UpstreamConnectionsDeadlineTest {

    @Test
    void aStateErrorAfterTheAbortIsTheDeadline() throws Exception {
        try (UpstreamDeadlines deadlines = new UpstreamDeadlines()) {
            HttpClientBuilder builder = HttpClientBuilder.create();
            new UpstreamConnections(0, 200, deadlines).configureHttpClient(builder);
            // stands in for the connection step: waits for the abort, then fails as the client does when its
            // endpoint was released under it
            builder.addExecInterceptorAfter("overall-deadline", "connecting", (request, scope, chain) -> {
                Cancellable cancelled = (Cancellable) scope.originalRequest;
                Await.until(Duration.ofSeconds(5), () -> ((HttpGet) cancelled).isCancelled(), "the deadline's abort");
                throw new IllegalStateException("Endpoint not acquired / already released");
            });
            try (CloseableHttpClient client = builder.build()) {
                Exception e = assertThrows(Exception.class,
                        () -> client.execute(new HttpGet("http://127.0.0.1:9/"), response -> null));
                assertInstanceOf(UpstreamDeadlineException.class, e);
                assertEquals(IllegalStateException.class, e.getSuppressed()[0].getClass());
            }
        }
    }

    @Test
    void aStateErrorBeforeTheDeadlineIsItself() throws Exception {
        try (UpstreamDeadlines deadlines = new UpstreamDeadlines()) {
            HttpClientBuilder builder = HttpClientBuilder.create();
            new UpstreamConnections(0, 60_000, deadlines).configureHttpClient(builder);
            builder.addExecInterceptorAfter("overall-deadline", "connecting", (request, scope, chain) -> {
                throw new IllegalStateException("a client bug");
            });
            try (CloseableHttpClient client = builder.build()) {
                Exception e = assertThrows(Exception.class,
                        () -> client.execute(new HttpGet("http://127.0.0.1:9/"), response -> null));
                assertInstanceOf(IllegalStateException.class, e);
            }
        }
    }
}
