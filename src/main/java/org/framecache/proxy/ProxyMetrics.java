package org.framecache.proxy;

import java.util.concurrent.TimeUnit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.cache.EncryptedByteCache;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.InFlightBytes;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.ops.AccessLog;
import org.framecache.proxy.render.RenderPool;
import org.framecache.proxy.server.InProcessHits;
import org.framecache.proxy.upstream.UpstreamBreaker;
import org.framecache.proxy.upstream.UpstreamCallCounter;

/**
 * The proxy's own meters, next to Camel's route metrics on the management server's /observe/metrics:
 * how often the store is asked (by kind), how many frames rode on another request's fetch, whether the
 * circuit to the store is open.
 */
final class ProxyMetrics {
    private ProxyMetrics() {
    }

    static void bind(MeterRegistry meters, UpstreamCallCounter calls, InFlightFrames inFlight, UpstreamBreaker breaker,
                     FrameCache cache, InstanceAccess access, AccessLog accessLog) {
        // one Counter per (route, status), looked up without building a meter id per request
        Map<String, Counter> requests = new ConcurrentHashMap<>();
        accessLog.setRequestCounter((route, status) -> requests.computeIfAbsent(route + " " + status,
                key -> meters.counter("dicomweb.requests", "route", String.valueOf(route), "status",
                        Integer.toString(status))).increment());
        FunctionCounter.builder("dicomweb.log.lines.failed", accessLog, AccessLog::failedLines)
                .description("access-log and audit lines their logger or endpoint failed to take").register(meters);
        Gauge.builder("dicomweb.cache.memory.bytes", cache, FrameCache::sizeInBytes)
                .description("bytes held by the in-process frame cache").register(meters);
        FunctionCounter.builder("dicomweb.cache.evictions", cache, FrameCache::evictions)
                .description("frames evicted from the in-process cache for room").register(meters);
        decisions(meters, "allowed-by-store", access, InstanceAccess::getAllowedByStore);
        decisions(meters, "refused-by-store", access, InstanceAccess::getRefusedByStore);
        decisions(meters, "remembered", access, InstanceAccess::getRemembered);
        decisions(meters, "awaited", access, InstanceAccess::getAwaited);
        served(meters, "cache", cache, FrameCache::getHits);
        served(meters, "upstream", cache, FrameCache::getFetched);
        served(meters, "rendered-fallback", cache, FrameCache::getFetchedAsFallback);
        served(meters, "coalesced", inFlight, InFlightFrames::getCoalesced);
        Timer latency = Timer.builder("dicomweb.upstream.latency").description("duration of calls to the store")
                .publishPercentileHistogram().register(meters);
        Counter errors = Counter.builder("dicomweb.upstream.errors")
                .description("calls to the store that failed without an answer (unreachable, timed out)").register(meters);
        calls.setOutcomeRecorder((millis, failed) -> {
            latency.record(millis, TimeUnit.MILLISECONDS);
            if (failed) {
                errors.increment();
            }
        });
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

    static void bindInFlightBytes(MeterRegistry meters, InFlightBytes inFlight) {
        Gauge.builder("dicomweb.inflight.bytes", inFlight, InFlightBytes::getHeld)
                .description("bytes requests in flight hold beyond the in-process cache (proxy.max-inflight-bytes)")
                .register(meters);
    }

    static void bindRenderPool(MeterRegistry meters, RenderPool pool) {
        FunctionCounter.builder("dicomweb.render.frames", pool, RenderPool::getRendered)
                .description("frames rendered or transcoded by the proxy on its render pool").register(meters);
        FunctionCounter.builder("dicomweb.render.refused", pool, RenderPool::getRefused)
                .description("requests refused with 503 because the render pool was full (render.threads, render.queue)")
                .register(meters);
    }

    static void bindPrefetch(MeterRegistry meters, InstancePrefetcher prefetcher) {
        FunctionCounter.builder("dicomweb.prefetch.jobs", prefetcher, InstancePrefetcher::getJobs)
                .description("whole-instance prefetch jobs queued").register(meters);
        FunctionCounter.builder("dicomweb.prefetch.completed", prefetcher, InstancePrefetcher::getCompleted)
                .description("whole-instance prefetch jobs that wrote their instance").register(meters);
        FunctionCounter.builder("dicomweb.prefetch.frames", prefetcher, InstancePrefetcher::getFramesWritten)
                .description("frames written to the cache by prefetch jobs").register(meters);
        FunctionCounter.builder("dicomweb.prefetch.too.large", prefetcher, InstancePrefetcher::getTooLarge)
                .description("prefetches not started or stopped: the instance is over prefetch.max-instance-bytes")
                .register(meters);
    }

    /** With cache.encryption-key: cached values read from Redis that did not authenticate (served as misses). */
    static void bindEncryption(MeterRegistry meters, EncryptedByteCache encrypted) {
        FunctionCounter.builder("dicomweb.cache.values.rejected", encrypted, EncryptedByteCache::rejected)
                .description("values read from Redis that failed authentication (altered, moved to another key, "
                        + "sealed with an unknown key): treated as misses").register(meters);
    }

    static void bindInProcessHits(MeterRegistry meters, InProcessHits hits) {
        FunctionCounter.builder("dicomweb.requests.in.process", hits, InProcessHits::getAnswered)
                .description("frame requests answered from this process before their route (hot tiles)").register(meters);
    }

    private static <T> void served(MeterRegistry meters, String tier, T source, java.util.function.ToDoubleFunction<T> value) {
        FunctionCounter.builder("dicomweb.frames.served", source, value).tag("tier", tier)
                .description("distinct frames per request, by where they came from").register(meters);
    }

    private static void decisions(MeterRegistry meters, String outcome, InstanceAccess access,
                                  java.util.function.ToDoubleFunction<InstanceAccess> value) {
        FunctionCounter.builder("dicomweb.access.decisions", access, value).tag("outcome", outcome)
                .description("access decisions: asked of the store, or taken from memory").register(meters);
    }

    private static void upstream(MeterRegistry meters, String kind, UpstreamCallCounter calls,
                                 java.util.function.ToDoubleFunction<UpstreamCallCounter> value) {
        FunctionCounter.builder("dicomweb.upstream.calls", calls, value).tag("kind", kind)
                .description("calls made to the upstream store").register(meters);
    }
}
