package org.framecache.proxy.http;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Everything under the prefix that the proxy does not serve itself (QIDO-RS searches, metadata, bulkdata,
 * whole-instance retrieval, STOW-RS) goes to the store and back unchanged: method, path, query, body and the
 * headers that carry meaning; the answer's status, body (streamed) and meaningful headers.
 */
public final class PassThrough {
    /** Request headers worth sending on; everything else (hop-by-hop, Camel's own, Host, cookies) stays here. */
    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "content-type", "if-none-match",
            "if-modified-since", "accept-charset", "prefer");
    /** Answer headers worth giving back; Content-Length and transfer framing are the server's own business. */
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-location", "location", "etag",
            "last-modified", "cache-control", "expires", "www-authenticate", "warning", "content-disposition",
            "content-language", "retry-after");

    private static final String REQUEST_PROPERTY = "passThroughRequest";

    /** The forwarded (credential) headers of a pass-through request, for the access log's caller fingerprint. */
    public static final String FORWARDED_PROPERTY = "forwardedHeaders";

    private final String prefix;
    private final List<String> forwardedHeaders;

    public PassThrough(String prefix, Collection<String> forwardedHeaders) {
        this.prefix = prefix;
        this.forwardedHeaders = forwardedHeaders.stream().map(String::toLowerCase).toList();
    }

    public void request(Exchange exchange) {
        InboundMethod.remember(exchange);
        Message message = exchange.getIn();
        String method = message.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        String query = message.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        Map<String, Object> keep = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        message.getHeaders().forEach((name, value) -> {
            String lower = name.toLowerCase();
            if (REQUEST_HEADERS.contains(lower) || forwardedHeaders.contains(lower)) {
                keep.put(name, value);
            }
        });
        message.removeHeaders("*");
        message.getHeaders().putAll(keep);
        Map<String, String> credentials = new TreeMap<>();
        keep.forEach((name, value) -> {
            if (forwardedHeaders.contains(name.toLowerCase())) {
                credentials.put(name, String.valueOf(value));
            }
        });
        exchange.setProperty(FORWARDED_PROPERTY, credentials);
        message.setHeader(Exchange.HTTP_METHOD, method);
        message.setHeader(Exchange.HTTP_PATH, path.startsWith(prefix) ? path.substring(prefix.length()) : path);
        if (query != null && !query.isEmpty()) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        exchange.setProperty(REQUEST_PROPERTY, Map.copyOf(message.getHeaders()));
    }

    /**
     * True when the store refused a HEAD (Orthanc answers 404) for a small resource — metadata or a search — that
     * is then asked for with GET. Large resources (instances, bulkdata) are never fetched whole to answer a HEAD.
     */
    public boolean headRefused(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (!InboundMethod.isHead(exchange) || !(status == 404 || status == 405 || status == 501)) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> request = exchange.getProperty(REQUEST_PROPERTY, Map.class);
        String path = String.valueOf(request.get(Exchange.HTTP_PATH));
        String last = path.substring(path.lastIndexOf('/') + 1);
        return path.endsWith("/metadata") || last.equals("studies") || last.equals("series") || last.equals("instances");
    }

    /** The same request again, as GET. */
    public void asGet(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> request = exchange.getProperty(REQUEST_PROPERTY, Map.class);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.getHeaders().putAll(request);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
    }

    public void response(Exchange exchange) {
        Message message = exchange.getMessage();
        Object status = message.getHeader(Exchange.HTTP_RESPONSE_CODE);
        Map<String, Object> keep = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        message.getHeaders().forEach((name, value) -> {
            if (RESPONSE_HEADERS.contains(name.toLowerCase())) {
                keep.put(name, value);
            }
        });
        message.removeHeaders("*");
        message.getHeaders().putAll(keep);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (InboundMethod.isHead(exchange)) {
            // a HEAD answer has no body (after a GET retry, the small body is dropped)
            message.setBody(null);
        }
    }
}
