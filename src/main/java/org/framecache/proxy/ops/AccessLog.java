package org.framecache.proxy.ops;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.InboundMethod;
import org.framecache.proxy.upstream.PassThrough;
import org.slf4j.LoggerFactory;

/**
 * One access-log line per client request (method, path, status, frames, tier, duration, caller fingerprint —
 * never credentials), and one audit line per instance a caller received pixel data for, cache hits included
 * (which the store's own audit never sees). Each goes to a configurable endpoint: a log by default, or any
 * Camel endpoint (a file, a queue); an empty endpoint turns it off.
 */
public final class AccessLog {

    private final InstanceAccess access;
    private final Consumer<String> accessSink;
    private final Consumer<String> auditSink;
    private final boolean json;
    /** Hands the lines of both sinks over in batches; null when both are off. */
    private BatchedLogLines batches;
    private volatile RequestCounter requests = (route, status) -> { };

    /** Receives every completed request (the metrics). */
    @FunctionalInterface
    public interface RequestCounter {
        void count(String route, int status);
    }

    public void setRequestCounter(RequestCounter counter) {
        this.requests = counter;
    }

    public AccessLog(ProducerTemplate producer, InstanceAccess access, String accessEndpoint, String auditEndpoint,
                     String format) {
        this.access = access;
        this.accessSink = sink(producer, accessEndpoint.strip());
        this.auditSink = sink(producer, auditEndpoint.strip());
        this.json = "json".equalsIgnoreCase(format.strip());
    }

    /** Called once per client request, as it completes (the inbound routes' onCompletion). */
    public void record(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        @SuppressWarnings("unchecked")
        Map<String, String> forwarded = request != null ? request.getForwardHeaders()
                : exchange.getProperty(PassThrough.FORWARDED_PROPERTY, Map.of(), Map.class);
        record(exchange.getFromRouteId(), InboundMethod.of(exchange),
                exchange.getProperty(InboundMethod.PATH_PROPERTY, "", String.class), status, request, forwarded,
                exchange.getClock().elapsed());
    }

    /**
     * One request's line, and its audit line when it served pixel data: for requests answered in a route and for
     * those answered before it (in-process hits).
     */
    public void record(String route, String method, String path, int status, FrameRequest request,
                       Map<String, String> forwarded, long millis) {
        requests.count(route, status);
        String caller = request != null ? access.fingerprint(request) : access.fingerprint(forwarded);
        if (accessSink != null) {
            accessSink.accept(accessLine(method, path, status, request, millis, caller));
        }
        if (auditSink != null && request != null && status == 200) {
            auditSink.accept(auditLine(request, caller));
        }
    }

    /** Writes the lines still waiting for their logger and stops the thread that hands them over. */
    public void close() {
        if (batches != null) {
            batches.close();
        }
    }

    /** False while lines wait in such numbers that an event loop should not add more (then the route answers). */
    public boolean hasRoom() {
        return batches == null || batches.hasRoom();
    }

    /** Lines an endpoint or logger failed to take. */
    public long failedLines() {
        return batches == null ? 0 : batches.failures();
    }

    /**
     * Where lines go: nowhere for an empty endpoint; to the logger of a plain {@code log:name} endpoint, or sent to
     * any other endpoint. Either way from one background thread, in batches (a Camel send per request cost a fifth
     * of a cached frame's time, a logging call per request a third).
     */
    private Consumer<String> sink(ProducerTemplate producer, String endpoint) {
        if (endpoint.isEmpty()) {
            return null;
        }
        if (batches == null) {
            batches = new BatchedLogLines();
        }
        if (endpoint.startsWith("log:") && (!endpoint.contains("?") || endpoint.endsWith("?plain=true"))) {
            String name = endpoint.substring(4, endpoint.contains("?") ? endpoint.indexOf('?') : endpoint.length());
            return batches.to(LoggerFactory.getLogger(name)::info);
        }
        return batches.to(line -> producer.sendBody(endpoint, line));
    }

    private String accessLine(String method, String path, int status, FrameRequest request, long millis, String caller) {
        int frames = request == null ? 0 : request.getFrames().length;
        String tier = request == null ? "passthrough" : request.getTier();
        if (json) {
            return "{\"time\":\"" + Instant.now() + "\",\"method\":\"" + method + "\",\"path\":\"" + escape(path)
                    + "\",\"status\":" + status + ",\"frames\":" + frames + ",\"tier\":\"" + tier + "\",\"millis\":" + millis
                    + ",\"caller\":\"" + caller + "\"}";
        }
        return method + " " + path + " " + status + " frames=" + frames + " tier=" + tier + " " + millis + " ms caller="
                + caller;
    }

    private static String auditLine(FrameRequest request, String caller) {
        String frames = Arrays.stream(request.distinctFrames()).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return "{\"time\":\"" + Instant.now() + "\",\"caller\":\"" + caller + "\",\"study\":\"" + request.getStudy()
                + "\",\"series\":\"" + request.getSeries() + "\",\"instance\":\"" + request.getInstance()
                + "\",\"frames\":[" + frames + "],\"representation\":\"" + escape(request.getRepresentation().cacheTag())
                + "\",\"tier\":\"" + request.getTier() + "\"}";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
