package org.framecache.proxy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.framecache.proxy.http.UpstreamBreaker;
import org.framecache.proxy.http.UpstreamCallCounter;

/**
 * The proxy's own meters, next to Camel's route metrics on the management server's /observe/metrics:
 * how often the store is asked (by kind), how many frames rode on another request's fetch, whether the
 * circuit to the store is open.
 */
final class ProxyMetrics {
    private ProxyMetrics() {
    }

    static void bind(MeterRegistry meters, UpstreamCallCounter calls, InFlightFrames inFlight, UpstreamBreaker breaker) {
        upstream(meters, "frames", calls, UpstreamCallCounter::getRawFrameCalls);
        upstream(meters, "rendered", calls, UpstreamCallCounter::getRenderedCalls);
        upstream(meters, "metadata", calls, UpstreamCallCounter::getMetadataCalls);
        upstream(meters, "passthrough", calls, UpstreamCallCounter::getPassThroughCalls);
        FunctionCounter.builder("dicomweb.frames.coalesced", inFlight, InFlightFrames::getCoalesced)
                .description("frames served from another request's upstream fetch instead of a fetch of their own")
                .register(meters);
        Gauge.builder("dicomweb.frames.inflight", inFlight, InFlightFrames::inFlightCount)
                .description("frames being fetched from the store right now").register(meters);
        Gauge.builder("dicomweb.upstream.circuit.open", breaker, b -> b.isOpen() ? 1 : 0)
                .description("1 while the circuit to the store is open").register(meters);
    }

    private static void upstream(MeterRegistry meters, String kind, UpstreamCallCounter calls,
                                 java.util.function.ToDoubleFunction<UpstreamCallCounter> value) {
        FunctionCounter.builder("dicomweb.upstream.calls", calls, value).tag("kind", kind)
                .description("calls made to the upstream store").register(meters);
    }
}
