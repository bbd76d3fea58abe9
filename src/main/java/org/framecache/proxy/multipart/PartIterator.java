package org.framecache.proxy.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.NoSuchElementException;

/**
 * Where the reading of one body stands: in the preamble, at a part's headers, done (close delimiter, end of stream
 * after a delimiter, a last part ended by EOF, or a {@link StoppableBody} given up on) or failed, after which every
 * call throws the same exception. Iterates held parts ({@link #hasNext}, {@link #next}) or streamed ones
 * ({@link #nextStreamed}), one body one way. Not thread-safe.
 */
final class PartIterator implements Iterator<BodyPart> {

    private enum State { PREAMBLE, AT_HEADERS, DONE, FAILED }

    private final InputStream in;
    private final int maxPartBytes;
    private final BodyWindow window;
    private final DelimiterScanner scanner;

    private State state = State.PREAMBLE;
    private BodyPart pending;
    private RuntimeException failure;
    private int partNumber;
    /** The part whose content is being streamed, or null. */
    private PartContentStream streaming;

    PartIterator(InputStream in, byte[] boundary, int maxPartBytes) {
        this.in = in;
        this.maxPartBytes = maxPartBytes;
        this.window = new BodyWindow(in);
        this.scanner = new DelimiterScanner(window, new Delimiter(boundary));
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (in instanceof StoppableBody body && body.isStopped()) {
            state = State.DONE; // given up on purpose: no more parts, and no failure to report
        }
        switch (state) {
            case DONE:
                return false;
            case FAILED:
                throw failure;
            default:
                break;
        }
        try {
            pending = readNextPart();
        } catch (MalformedMultipartException e) {
            fail(e);
        } catch (IOException e) {
            fail(unreadable(e));
        }
        return pending != null;
    }

    @Override
    public BodyPart next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more body parts");
        }
        BodyPart part = pending;
        pending = null;
        return part;
    }

    /** The next part with its content as a stream; null when there are no more parts. */
    StreamedPart nextStreamed() {
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            if (streaming != null) {
                streaming.skipRest();
                streaming = null;
            }
            if (state == State.DONE) {
                return null;
            }
            LinkedHashMap<String, String> headers = nextPartHeaders();
            if (headers == null) {
                return null;
            }
            long declared = BodyPart.parseLength(headers.get("content-length"));
            streaming = new PartContentStream(this, window, scanner, declared, partNumber);
            return new StreamedPart(headers, streaming);
        } catch (MalformedMultipartException e) {
            fail(e);
        } catch (IOException e) {
            fail(unreadable(e));
        }
        return null; // not reached: fail throws
    }

    /**
     * A body that could not be read: malformed (truncated, reset), except a read that timed out, which is the
     * store being slow, not its answer being wrong (an {@link UncheckedIOException} around the timeout).
     */
    static RuntimeException unreadable(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new UncheckedIOException("upstream body stalled: " + e.getMessage(), e);
        }
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new MalformedMultipartException("upstream body could not be read: " + reason, e);
    }

    // ------------------------------------------------------------------ for the streamed part's content

    void throwIfFailed() {
        if (state == State.FAILED) {
            throw failure;
        }
    }

    boolean isStreaming(PartContentStream content) {
        return streaming == content;
    }

    /** The current part's content ended: at a delimiter line when more parts follow, else at the body's end. */
    void contentEnded(boolean morePartsFollow) {
        state = morePartsFollow ? State.AT_HEADERS : State.DONE;
    }

    /** Records the failure every later call throws; returns it to be thrown. */
    RuntimeException failed(RuntimeException e) {
        state = State.FAILED;
        failure = e;
        return e;
    }

    // ------------------------------------------------------------------ parts

    private void fail(RuntimeException e) {
        throw failed(e);
    }

    /**
     * The next part's headers (the preamble skipped before the first), counted; null (with state DONE) when there
     * are no more parts.
     */
    private LinkedHashMap<String, String> nextPartHeaders() throws IOException {
        if (state == State.PREAMBLE) {
            int r = scanner.scan(null);
            if (r == DelimiterScanner.NOT_FOUND) {
                throw new MalformedMultipartException("no multipart boundary found");
            }
            if (r == DelimiterScanner.FOUND_END) {
                state = State.DONE;
                return null;
            }
            state = State.AT_HEADERS;
        }
        LinkedHashMap<String, String> headers = PartHeaderReader.read(window, partNumber + 1);
        if (headers == null) { // EOF right after a delimiter line
            state = State.DONE;
            return null;
        }
        partNumber++;
        return headers;
    }

    /** @return the next part, or null (with state DONE) when there are no more parts */
    private BodyPart readNextPart() throws IOException {
        LinkedHashMap<String, String> headers = nextPartHeaders();
        if (headers == null) {
            return null;
        }
        long declared = BodyPart.parseLength(headers.get("content-length"));
        if (declared > maxPartBytes) {
            throw new MalformedMultipartException("part " + partNumber + " exceeds " + maxPartBytes + " bytes");
        }
        return new BodyPart(headers, readContent(declared));
    }

    private byte[] readContent(long declared) throws IOException {
        HeldContent content = new HeldContent(declared, maxPartBytes, partNumber);
        int r = scanner.scan(content);
        if (r == DelimiterScanner.NOT_FOUND) {
            // the part ran into end-of-stream; [pos, limit) holds its not yet consumed tail
            int tail = window.limit - window.pos - scanner.tailToDrop(content.length(), declared, partNumber);
            content.append(window.buf, window.pos, tail);
            window.pos = window.limit;
            state = State.DONE;
            return content.toArray();
        }
        state = r == DelimiterScanner.FOUND_PART ? State.AT_HEADERS : State.DONE;
        byte[] bytes = content.toArray();
        if (declared >= 0 && bytes.length != declared) {
            throw new MalformedMultipartException("part " + partNumber + ": Content-Length mismatch (declared "
                    + declared + ", received " + bytes.length + " bytes)");
        }
        return bytes;
    }
}
