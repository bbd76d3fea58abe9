package org.framecache.proxy.inbound;

/** A frame just fetched from the store, with the representation it is to be cached under. */
public record FetchedFrame(int frame, Representation representation, CachedFrame content) {
}
