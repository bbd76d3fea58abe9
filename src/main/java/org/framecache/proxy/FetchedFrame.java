package org.framecache.proxy;

/** A frame just fetched from the store, with the representation it is to be cached under. */
public record FetchedFrame(int frame, Representation representation, CachedFrame content) {
}
