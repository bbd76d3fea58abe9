package org.framecache.proxy;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.framecache.proxy.multipart.MediaType;

/**
 * Remembers the transfer syntax each instance is stored in, learned from the store's own answers for the stored
 * bytes (Orthanc's metadata does not carry it). Once known, a client that asks for that syntax by name, or lists
 * it among others, is served the stored bytes: every spelling of the same wish shares one cache entry and one
 * upstream request.
 */
public final class StoredSyntaxes {
    private final Cache<String, String> syntaxes;

    public StoredSyntaxes(Duration ttl) {
        this.syntaxes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    /** Before the cache lookup: switch to the stored bytes when they satisfy an acceptable representation. */
    public void choose(FrameRequest request) {
        String stored = syntaxes.getIfPresent(request.instancePath());
        if (stored == null || request.getRepresentation().isStored()) {
            return;
        }
        for (Representation acceptable : request.getAcceptable()) {
            if (acceptable.satisfiedBy(stored)) {
                request.useStoredBytes();
                return;
            }
        }
    }

    /** After a validated stored-bytes answer: its parts name the stored syntax. */
    public void learn(FrameRequest request, List<FetchedFrame> fetched) {
        if (!request.getRepresentation().isStored() || fetched.isEmpty()) {
            return;
        }
        String syntax = MediaType.parse(fetched.get(0).content().contentType()).parameter("transfer-syntax");
        if (syntax != null) {
            syntaxes.put(request.instancePath(), syntax);
        }
    }

    /** Records the syntax read from the instance itself (whole-instance prefetch). */
    public void remember(FrameRequest request, String syntax) {
        syntaxes.put(request.instancePath(), syntax);
    }

    public String storedSyntax(FrameRequest request) {
        return syntaxes.getIfPresent(request.instancePath());
    }
}
