package org.framecache.proxy.access;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** The shapes of instances read from their metadata, by instance path, for auth.metadata-ttl-seconds. */
final class RememberedShapes {
    private final Cache<String, Integer> frameCounts;
    /** Instance path → its pixels' layout and ICC profile reference, from the same metadata. */
    private final Cache<String, InstanceImage> images;
    /** Instance path → its pixel data's size uncompressed, from the same metadata (what a prefetch may cost). */
    private final Cache<String, Long> pixelBytes;

    RememberedShapes(Duration ttl) {
        this.frameCounts = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
        this.images = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
        this.pixelBytes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    void remember(String instancePath, InstanceShape shape) {
        frameCounts.put(instancePath, shape.frames());
        images.put(instancePath, shape.image());
        if (shape.pixelBytes() > 0) {
            pixelBytes.put(instancePath, shape.pixelBytes());
        }
    }

    /** NumberOfFrames; null when not known. */
    Integer frames(String instancePath) {
        return frameCounts.getIfPresent(instancePath);
    }

    /** The pixels' layout and ICC profile reference; null when not known. */
    InstanceImage image(String instancePath) {
        return images.getIfPresent(instancePath);
    }

    /** The pixel data's size uncompressed; null when not known or not all said. */
    Long pixelBytes(String instancePath) {
        return pixelBytes.getIfPresent(instancePath);
    }
}
