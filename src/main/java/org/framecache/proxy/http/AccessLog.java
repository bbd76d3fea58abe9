package org.framecache.proxy.http;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.framecache.proxy.FrameRequest;
import org.framecache.proxy.InstanceAccess;
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
    /** Hands logger lines over in batches; null when no sink is a logger. */
    private BatchedLogLines batches;
    /** Both sinks are loggers written directly, or off (no Camel send). */
    private final boolean direct;
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
        // started only for a logger sink, and stopped by close()
        this.direct = !sendsToEndpoint(accessEndpoint.strip()) && !sendsToEndpoint(auditEndpoint.strip());
        this.json = "json".equalsIgnoreCase(format.strip());
    }

    /** Called once per client request, as it completes (the inbound routes' onCompletion). */
    public void record(Exchange exchange) {
        FrameRequest request = exchange.getProperty("frameRequest", FrameRequest.class);
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
        String caller = access.fingerprint(forwarded);
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

    /** True when every line goes to a logger (handed over, never a Camel send that may block): safe on an event loop. */
    public boolean writesDirectly() {
        return direct;
    }

    /**
     * Where lines go: nowhere for an empty endpoint; a plain {@code log:name} endpoint is written to that logger
     * directly, in batches from one thread (a Camel send per request cost a fifth of a cached frame's time, a
     * logging call per request a third); any other endpoint is sent to.
     */
    private Consumer<String> sink(ProducerTemplate producer, String endpoint) {
        if (endpoint.isEmpty()) {
            return null;
        }
        if (!sendsToEndpoint(endpoint)) {
            String name = endpoint.substring(4, endpoint.contains("?") ? endpoint.indexOf('?') : endpoint.length());
            if (batches == null) {
                batches = new BatchedLogLines();
            }
            return batches.to(LoggerFactory.getLogger(name));
        }
        return line -> producer.sendBody(endpoint, line);
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

    private static boolean sendsToEndpoint(String endpoint) {
        return !endpoint.isEmpty() && !(endpoint.startsWith("log:") && (!endpoint.contains("?") || endpoint.endsWith("?plain=true")));
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
