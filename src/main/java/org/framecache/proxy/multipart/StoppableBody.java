package org.framecache.proxy.multipart;

/**
 * A body whose reading was given up on purpose (its consumer already has its answer, such as a refusal): the
 * reader's iterator then ends quietly, whatever is left unread, instead of failing on a closed connection.
 */
public interface StoppableBody {
    boolean isStopped();
}
