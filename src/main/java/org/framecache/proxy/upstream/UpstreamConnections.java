package org.framecache.proxy.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * How the proxy's camel-http clients talk to the store.
 * <p>
 * Keep-alive connections are closed by the proxy before the store closes them: Orthanc drops an idle connection
 * after one second, and a request sent on a connection the store has just closed fails (and is sent again). A
 * background sweep every {@code maxIdleMillis} closes connections idle for longer, so none is kept idle for more
 * than twice that.
 * <p>
 * Every call has an overall deadline, from asking the pool for a connection to the last byte of the answer (the
 * client's socket and response timeouts are per read: a store trickling a byte now and then never trips them).
 * At the deadline the call is aborted on the shared {@link UpstreamDeadlines} thread: its connection is closed
 * (not returned to the pool) and the thread waiting on it gets an {@link UpstreamDeadlineException}. The component
 * default (camel.component.http.http-client-configurer) is the interactive one; endpoints that move whole
 * instances name the bulk one in their parameters.
 */
public final class UpstreamConnections implements HttpClientConfigurer {
    private final long maxIdleMillis;
    private final long deadlineMillis;
    private final UpstreamDeadlines deadlines;

    public UpstreamConnections(long maxIdleMillis, long deadlineMillis, UpstreamDeadlines deadlines) {
        this.maxIdleMillis = maxIdleMillis;
        this.deadlineMillis = deadlineMillis;
        this.deadlines = deadlines;
    }

    public long getDeadlineMillis() {
        return deadlineMillis;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        if (maxIdleMillis > 0) {
            builder.evictIdleConnections(TimeValue.of(maxIdleMillis, TimeUnit.MILLISECONDS));
        }
        if (deadlineMillis > 0) {
            builder.addExecInterceptorFirst("overall-deadline", new Deadline());
        }
    }

    /** Outermost step of every call: arms the abort, and disarms it when the answer is read or the call failed. */
    private final class Deadline implements ExecChainHandler {
        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
                throws IOException, HttpException {
            Call call = new Call(scope);
            // waiting for a pooled connection is part of the deadline: never longer than the whole call may take
            RequestConfig config = scope.clientContext.getRequestConfigOrDefault();
            Timeout lease = config.getConnectionRequestTimeout();
            if (lease == null || lease.isDisabled() || lease.toMilliseconds() > deadlineMillis) {
                scope.clientContext.setRequestConfig(RequestConfig.copy(config)
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(deadlineMillis)).build());
            }
            ClassicHttpResponse response;
            try {
                response = chain.proceed(request, scope);
            } catch (IOException e) {
                throw call.failed(e);
            } catch (RuntimeException | HttpException e) {
                // an abort that lands while the client sets up the connection surfaces as the client's own state
                // error ("Endpoint not acquired / already released"): past the deadline that is the deadline
                UpstreamDeadlineException timeout = call.timedOut(e);
                if (timeout != null) {
                    throw timeout;
                }
                throw e;
            }
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                call.done();
            } else {
                response.setEntity(new TimedEntity(entity, call));
            }
            return response;
        }
    }

    /** One call in flight and its scheduled abort. */
    private final class Call {
        private final AtomicBoolean expired = new AtomicBoolean();
        private final ScheduledFuture<?> abort;

        Call(ExecChain.Scope scope) {
            abort = deadlines.at(deadlineMillis, () -> {
                expired.set(true);
                // the original request cancels whatever the call waits on: the pool lease or the connection
                if (scope.originalRequest instanceof Cancellable request) {
                    request.cancel();
                } else {
                    scope.execRuntime.discardEndpoint();
                }
            });
        }

        void done() {
            abort.cancel(false);
        }

        IOException failed(IOException e) {
            UpstreamDeadlineException timeout = timedOut(e);
            return timeout == null ? e : timeout;
        }

        /** Ends the call on a failure: the deadline's failure (with e suppressed) if the abort fired, else null. */
        UpstreamDeadlineException timedOut(Exception e) {
            done();
            if (expired.get() && !(e instanceof UpstreamDeadlineException)) {
                UpstreamDeadlineException timeout = new UpstreamDeadlineException(deadlineMillis);
                timeout.addSuppressed(e);
                return timeout;
            }
            return null;
        }
    }

    /** The answer's body, read under the call's deadline. */
    private static final class TimedEntity extends HttpEntityWrapper {
        private final Call call;

        TimedEntity(HttpEntity entity, Call call) {
            super(entity);
            this.call = call;
        }

        @Override
        public InputStream getContent() throws IOException {
            InputStream content;
            try {
                content = super.getContent();
            } catch (IOException e) {
                throw call.failed(e);
            }
            return content == null ? null : new TimedStream(content, call);
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                call.done();
            }
        }
    }

    private static final class TimedStream extends FilterInputStream {
        private final Call call;

        TimedStream(InputStream in, Call call) {
            super(in);
            this.call = call;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b < 0) {
                    call.done();
                }
                return b;
            } catch (IOException e) {
                throw call.failed(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                int n = super.read(buffer, offset, length);
                if (n < 0) {
                    call.done();
                }
                return n;
            } catch (IOException e) {
                throw call.failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                throw call.failed(e);
            } finally {
                call.done();
            }
        }
    }
}
