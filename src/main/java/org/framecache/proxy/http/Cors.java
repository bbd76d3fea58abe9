package org.framecache.proxy.http;

import java.util.List;
import java.util.Set;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

/** The CORS policy browsers (Slim, OHIF) need: preflight answered by the proxy, headers on every answer. */
public final class Cors {
    private Cors() {
    }

    /**
     * Platform-http puts its (no-op) body handler first on every route, and Vert.x refuses a security-policy
     * handler after it; wrapped as a plain handler, the CORS handler runs right after it, before the route.
     */
    public static Handler<RoutingContext> handler(List<String> origins, int maxAgeSeconds) {
        CorsHandler cors = policy(origins, maxAgeSeconds);
        return cors::handle;
    }

    static CorsHandler policy(List<String> origins, int maxAgeSeconds) {
        CorsHandler cors = origins.contains("*") ? CorsHandler.create() : CorsHandler.create().addOrigins(origins);
        return cors
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
                        HttpMethod.DELETE, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Authorization", "Accept", "Content-Type", "X-Requested-With", "Prefer",
                        "If-None-Match", "If-Modified-Since"))
                .exposedHeaders(Set.of("Content-Type", "Content-Location", "Location", "WWW-Authenticate", "Warning",
                        "ETag", "Vary"))
                .maxAgeSeconds(maxAgeSeconds);
    }
}
