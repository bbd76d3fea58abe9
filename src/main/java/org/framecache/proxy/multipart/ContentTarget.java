package org.framecache.proxy.multipart;

/** Where the bytes of a part's content go as the scan finds them: a held part, or a stream reader's array. */
interface ContentTarget {

    /** @return how many more bytes this target takes now */
    int room();

    void append(byte[] src, int off, int n);
}
