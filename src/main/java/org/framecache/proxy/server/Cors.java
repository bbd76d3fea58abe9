package org.framecache.proxy.server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.DicomWebPath;

/**
 * The CORS policy browsers (Slim, OHIF) need: preflight answered by the proxy, headers on every answer. A preflight
 * offers only the methods its resource takes ({@link DicomWebPath}): GET and HEAD everywhere, POST where STOW-RS
 * stores, DELETE only where the operator allowed it.
 */
public final class Cors {
    private static final Set<String> READ = Set.of("GET", "HEAD");

    private Cors() {
    }

    /**
     * Platform-http puts its (no-op) body handler first on every route, and Vert.x refuses a security-policy
     * handler after it; wrapped as a plain handler, the CORS handler runs right after it, before the route.
     */
    public static Handler<RoutingContext> handler(List<String> origins, int maxAgeSeconds, String prefix,
                                                  boolean deleteAllowed) {
        // one policy per method set (at most four: read, + store, + delete, + both), made when first needed
        Map<Set<String>, CorsHandler> byMethods = new ConcurrentHashMap<>();
        CorsHandler read = byMethods.computeIfAbsent(READ, m -> policy(origins, maxAgeSeconds, m));
        return context -> {
            if (context.request().method() != HttpMethod.OPTIONS) {
                read.handle(context); // answers carry the same headers whatever the resource
                return;
            }
            Set<String> methods = READ;
            String path = context.normalizedPath();
            if (path.startsWith(prefix)) {
                try {
                    methods = DicomWebPath.parse(path.substring(prefix.length())).allowedMethods(deleteAllowed);
                } catch (ProxyException notDicomWeb) {
                    methods = READ;
                }
            }
            byMethods.computeIfAbsent(methods, m -> policy(origins, maxAgeSeconds, m)).handle(context);
        };
    }

    static CorsHandler policy(List<String> origins, int maxAgeSeconds, Set<String> methods) {
        CorsHandler cors = origins.contains("*") ? CorsHandler.create() : CorsHandler.create().addOrigins(origins);
        Set<HttpMethod> allowed = methods.stream().map(HttpMethod::valueOf).collect(Collectors.toSet());
        allowed.add(HttpMethod.OPTIONS);
        return cors
                .allowedMethods(allowed)
                .allowedHeaders(Set.of("Authorization", "Accept", "Content-Type", "X-Requested-With", "Prefer",
                        "If-None-Match", "If-Modified-Since"))
                .exposedHeaders(Set.of("Content-Type", "Content-Location", "Location", "WWW-Authenticate", "Warning",
                        "ETag", "Vary"))
                .maxAgeSeconds(maxAgeSeconds);
    }
}
