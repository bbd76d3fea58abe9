package org.framecache.proxy.upstream;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.DicomWebPath;
import org.framecache.proxy.inbound.InboundMethod;
import org.framecache.proxy.inbound.InboundRequest;
import org.framecache.proxy.inbound.PublicBaseUrl;

/**
 * Everything under the prefix that the proxy does not serve itself (QIDO-RS searches, metadata, bulkdata,
 * whole-instance retrieval, STOW-RS) goes to the store and back: method, path, query, body and the headers that
 * carry meaning; the answer's status, body (streamed) and meaningful headers. Only DICOMweb resources pass, each with
 * the methods it takes ({@link DicomWebPath}); the store's path is rebuilt from the checked segments.
 */
public final class PassThrough {
    /** Request headers worth sending on; everything else (hop-by-hop, Camel's own, Host, cookies) stays here. */
    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "content-type", "if-none-match",
            "if-modified-since", "accept-charset", "prefer");
    /** Answer headers worth giving back; Content-Length and transfer framing are the server's own business. */
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-location", "location", "etag",
            "last-modified", "cache-control", "expires", "www-authenticate", "warning", "content-disposition",
            "content-language", "retry-after");

    /** The request as sent to the store (its headers: method, path, query), for steps after the call. */
    public static final String REQUEST_PROPERTY = "passThroughRequest";

    /** The forwarded (credential) headers of a pass-through request, for the access log's caller fingerprint. */
    public static final String FORWARDED_PROPERTY = "forwardedHeaders";

    private static final String PUBLIC_BASE_PROPERTY = "publicBaseUrl";

    private final String prefix;
    private final List<String> forwardedHeaders;
    private final boolean deleteAllowed;
    private final String upstreamUrl;
    private final PublicBaseUrl publicBaseUrl;

    /**
     * @param upstreamUrl   the store's DICOMweb root: Location and Content-Location under it are given back under the
     *                      proxy's public URL, so a client following them stays on the proxy
     */
    public PassThrough(String prefix, Collection<String> forwardedHeaders, boolean deleteAllowed, String upstreamUrl,
                       PublicBaseUrl publicBaseUrl) {
        this.prefix = prefix;
        this.forwardedHeaders = forwardedHeaders.stream().map(String::toLowerCase).toList();
        this.deleteAllowed = deleteAllowed;
        this.upstreamUrl = upstreamUrl.endsWith("/") ? upstreamUrl.substring(0, upstreamUrl.length() - 1) : upstreamUrl;
        this.publicBaseUrl = publicBaseUrl;
    }

    public void request(Exchange exchange) {
        InboundMethod.remember(exchange);
        Message message = exchange.getIn();
        String method = message.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        String query = message.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        DicomWebPath resource = DicomWebPath.parse(path.startsWith(prefix) ? path.substring(prefix.length()) : path);
        if (!resource.allows(method, deleteAllowed)) {
            throw ProxyException.methodNotAllowed(method, resource.allowedMethods(deleteAllowed));
        }
        query = query == null ? null : upstreamQuery(query);
        exchange.setProperty(PUBLIC_BASE_PROPERTY, publicBaseUrl.of(InboundRequest.of(message), prefix));
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
        message.setHeader(Exchange.HTTP_PATH, resource.upstreamPath());
        if (query != null && !query.isEmpty()) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        exchange.setProperty(REQUEST_PROPERTY, Map.copyOf(message.getHeaders()));
    }

    /** A URL under the store's DICOMweb root, moved under the proxy's public URL; any other URL as it is. */
    private String onTheProxy(String url, String publicBase) {
        return url.startsWith(upstreamUrl + "/") ? publicBase + url.substring(upstreamUrl.length()) : url;
    }

    /**
     * The query to send on (RFC 3986 §3.4): pchar, "/" and "?" as they are, well-formed percent-escapes kept, other
     * printable characters browsers send raw ({@code ^ | [ ]}) and non-ASCII escaped; control characters and a
     * stray "%" are 400.
     */
    static String upstreamQuery(String query) {
        StringBuilder out = new StringBuilder(query.length() + 16);
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
                        || Character.digit(query.charAt(i + 2), 16) < 0) {
                    throw ProxyException.badRequest("malformed percent-encoding in the query string");
                }
                out.append(query, i, i + 3);
                i += 2;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0) {
                out.append(c);
            } else if (c <= 0x20 || c == 0x7f) {
                throw ProxyException.badRequest("control characters or spaces in the query string");
            } else {
                int codePoint = query.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                for (byte b : new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4 & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
        }
        return out.toString();
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
        String publicBase = exchange.getProperty(PUBLIC_BASE_PROPERTY, String.class);
        message.getHeaders().forEach((name, value) -> {
            String lower = name.toLowerCase();
            if (RESPONSE_HEADERS.contains(lower)) {
                boolean location = lower.equals("location") || lower.equals("content-location");
                keep.put(name, location && publicBase != null ? onTheProxy(String.valueOf(value), publicBase) : value);
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
