package org.framecache.proxy.inbound;

import java.util.concurrent.CompletableFuture;

/** A frame a request fetches for everyone who asks meanwhile (its cache key and the result they wait for). */
public record FrameClaim(String key, CompletableFuture<CachedFrame> result) {
}
