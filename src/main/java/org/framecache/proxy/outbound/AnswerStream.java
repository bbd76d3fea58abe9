package org.framecache.proxy.outbound;

import java.nio.ByteBuffer;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes an answer's pieces (part heads and read-only views of cached frames) to the HTTP server's response without
 * assembling them. Netty copies every heap buffer it is given into direct memory before it reaches the socket, at
 * the time of the write, so an answer written in one go costs its whole size in direct memory (an answer over the
 * JVM's direct-memory limit was never sent: 200 and headers, then nothing). Small answers (the hot tile) still go
 * in one write; larger ones in slices, each written only while the connection's write queue has room, so direct
 * memory holds at most about one slice plus the queue's mark per connection. A client that takes nothing for
 * {@link #STALL_MILLIS} loses its connection, and the answer's frames are let go.
 */
public final class AnswerStream {
    /** Answers up to this size are written at once. */
    public static final int ONE_WRITE_BYTES = 256 * 1024;
    static final int SLICE_BYTES = 64 * 1024;
    static final long STALL_MILLIS = 30_000;

    private final Context context;
    private final HttpServerResponse response;
    private final ByteBuffer[] pieces;
    private final Promise<Void> done = Promise.promise();
    private int piece;
    private int offset;
    private long timer = -1;
    /** Every piece written and end() called: from now on its outcome decides. */
    private boolean ending;

    private AnswerStream(Context context, HttpServerResponse response, ByteBuffer[] pieces) {
        this.context = context;
        this.response = response;
        this.pieces = pieces;
    }

    /**
     * Ends the response with the pieces (status and headers set by the caller; Content-Length is set here).
     * Completes once the last byte is handed to the connection; fails when the connection closes first or the
     * client stalls. Call it on the response's event loop, or give the context to run it on.
     */
    public static Future<Void> end(Context context, HttpServerResponse response, ByteBuffer[] pieces) {
        long length = 0;
        for (ByteBuffer piece : pieces) {
            length += piece.remaining();
        }
        if (length <= ONE_WRITE_BYTES) {
            return response.end(Buffer.buffer(Unpooled.wrappedBuffer(pieces)));
        }
        response.putHeader("Content-Length", Long.toString(length));
        AnswerStream stream = new AnswerStream(context, response, pieces);
        context.runOnContext(start -> stream.start());
        return stream.done.future();
    }

    private void start() {
        response.closeHandler(closed -> {
            if (!ending) {
                fail("the connection closed before the whole answer was written");
            }
        });
        response.exceptionHandler(e -> {
            if (!ending) {
                fail("the answer could not be written: " + e.getMessage());
            }
        });
        writeWhileThereIsRoom();
    }

    private void writeWhileThereIsRoom() {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
        while (!done.future().isComplete()) {
            if (piece == pieces.length) {
                ending = true;
                response.end().onComplete(ended -> {
                    if (ended.succeeded()) {
                        done.tryComplete();
                    } else {
                        fail("the answer could not be ended: " + ended.cause().getMessage());
                    }
                });
                return;
            }
            if (response.writeQueueFull()) {
                response.drainHandler(room -> writeWhileThereIsRoom());
                timer = context.owner().setTimer(STALL_MILLIS, stalled -> {
                    timer = -1;
                    fail("the client took nothing for " + STALL_MILLIS / 1000 + " s");
                });
                return;
            }
            ByteBuffer current = pieces[piece];
            int length = Math.min(SLICE_BYTES, current.remaining() - offset);
            if (length > 0) {
                ByteBuffer slice = current.slice(current.position() + offset, length);
                response.write(Buffer.buffer(Unpooled.wrappedBuffer(slice)))
                        .onFailure(e -> fail("the answer could not be written: " + e.getMessage()));
            }
            offset += length;
            if (offset >= current.remaining()) {
                piece++;
                offset = 0;
            }
        }
    }

    private void fail(String reason) {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
        if (done.tryFail(reason) && !ending) {
            // the connection goes (the client cannot be given the rest), and the response counts as ended, so that
            // nothing else tries to answer on it
            response.reset();
            try {
                response.end();
            } catch (RuntimeException closed) {
                // ended or closed already
            }
        }
    }
}
