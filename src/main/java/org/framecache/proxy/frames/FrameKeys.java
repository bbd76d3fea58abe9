package org.framecache.proxy.frames;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;

/**
 * The cache's key layout: {@code prefix + store id + ":" + study ":" + series + ":{" + instance + "}:" ...}, built
 * from the store, the instance's UIDs, the frame number and the representation's tag, never from header text. The
 * instance UID is the key's hash tag ({...}): in a Redis Cluster every frame of an instance, its loading markers and
 * its prefetch lock share one hash slot, so a request's lookup is one MGET on one node.
 */
final class FrameKeys {
    private final String prefix;

    FrameKeys(String keyPrefix, String upstreamUrl) {
        this.prefix = keyPrefix + storeId(upstreamUrl) + ":";
    }

    /** One frame in one representation. */
    String frame(FrameRequest request, int frame, Representation representation) {
        return prefix + request.getStudy() + ":" + request.getSeries() + ":{" + request.getInstance() + "}:" + frame
                + ":" + representation.cacheTag();
    }

    /** The marker of a frame being loaded by one replica. */
    String loading(FrameRequest request, int frame, Representation representation) {
        return frame(request, frame, representation) + ":loading";
    }

    /** A value kept for the request's instance as a whole (e.g. its ICC profile). */
    String instance(FrameRequest request, String tag) {
        return prefix + request.getStudy() + ":" + request.getSeries() + ":{" + request.getInstance() + "}:instance:" + tag;
    }

    /** A short, stable name for the upstream store, so that two stores never share entries. */
    static String storeId(String upstreamUrl) {
        return HexFormat.of().formatHex(sha256(upstreamUrl), 0, 6);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
