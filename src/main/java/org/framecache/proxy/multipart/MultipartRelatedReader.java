package org.framecache.proxy.multipart;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streaming, binary-safe reader of {@code multipart/related} (RFC 2046 section 5.1, RFC 2387)
 * bodies as returned by DICOMweb stores.
 *
 * <p>The body is read lazily through a fixed-size buffer, one part at a time; only the part being
 * returned is held in memory (bounded by {@code maxPartBytes}). The delimiter
 * ({@code CRLF "--" boundary}) is located with a Boyer-Moore-Horspool search over the buffer.
 *
 * <p>Inside, one class a job: {@code BoundaryParameter} checks the boundary; {@code PartIterator} walks the body
 * (preamble, parts, close delimiter) through a {@code BodyWindow}, finding delimiters with {@code DelimiterScanner}
 * and {@code Delimiter} and headers with {@code PartHeaderReader}; a part's content is held by {@code HeldContent}
 * or read through a {@code PartContentStream}.
 *
 * <p>Leniencies: the first delimiter may start the body without a leading CRLF; transport padding
 * (spaces/tabs) after a delimiter; bare-LF line endings and folded lines in part headers; a body
 * that ends after a delimiter line (or after a bare delimiter) without a close delimiter; and a
 * last part terminated by end-of-stream instead of a delimiter, provided it declared a matching
 * Content-Length (optionally followed by a CRLF). A part that is terminated by end-of-stream
 * without such a Content-Length is treated as a truncated body.
 *
 * <p>The reader itself is immutable and thread-safe; each iterator returned by
 * {@link #parts(InputStream, String)} is single-threaded. The iterator never closes the stream and
 * stops reading at the close delimiter (the epilogue is neither read nor drained).
 */
public final class MultipartRelatedReader {

    /** Maximum size of a part's header block, including the terminating empty line. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private final int maxPartBytes;

    /**
     * @param maxPartBytes largest accepted part content, in bytes (must be positive)
     */
    public MultipartRelatedReader(int maxPartBytes) {
        if (maxPartBytes <= 0) {
            throw new IllegalArgumentException("maxPartBytes must be positive: " + maxPartBytes);
        }
        this.maxPartBytes = Math.min(maxPartBytes, MAX_ARRAY_SIZE);
    }

    /**
     * Returns a lazy iterator over the body parts of {@code body}.
     *
     * <p>{@code hasNext()} reads (and buffers) the next part; it and {@code next()} throw
     * {@link MalformedMultipartException} when the body is malformed, truncated, exceeds a limit
     * or cannot be read ({@link UncheckedIOException} when a read timed out). After such a failure the iterator
     * keeps throwing the same exception.
     *
     * @param body        the entity body; not closed by the reader
     * @param contentType the entity's Content-Type, which must be {@code multipart/*} with a
     *                    {@code boundary} parameter
     * @throws MalformedMultipartException if the content type is missing, invalid, not multipart,
     *                                     or has no usable boundary
     */
    public Iterator<BodyPart> parts(InputStream body, String contentType) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        return new PartIterator(body, BoundaryParameter.of(contentType), maxPartBytes);
    }

    /**
     * {@link #parts} for Camel's streaming splitter: the failure is thrown once, to the splitter, which stops there;
     * after it the iterator is at its end. The splitter walks its iterator once more after it stopped (to release
     * the exchanges it made), and a failure thrown again there is only logged, with its stack trace, as an error
     * in releasing.
     */
    public Iterator<BodyPart> splitParts(InputStream body, String contentType) {
        Iterator<BodyPart> parts = parts(body, contentType);
        return new Iterator<>() {
            private boolean failed;

            @Override
            public boolean hasNext() {
                if (failed) {
                    return false;
                }
                try {
                    return parts.hasNext();
                } catch (RuntimeException e) {
                    failed = true;
                    throw e;
                }
            }

            @Override
            public BodyPart next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more body parts");
                }
                return parts.next();
            }
        };
    }

    /**
     * Returns a lazy iterator over the body parts of {@code body} whose contents are streams read straight from
     * {@code body}, never held: for parts too large to hold, such as a whole instance. Each part's stream ends at its
     * delimiter; moving to the next part skips what was left unread of the current one. The limits and leniencies
     * of {@link #parts} apply, except {@code maxPartBytes}: a streamed part may be of any size. A content stream
     * throws {@link MalformedMultipartException} where {@link #parts} would.
     *
     * @param body        the entity body; not closed by the reader
     * @param contentType the entity's Content-Type ({@code multipart/*} with a {@code boundary})
     */
    public Iterator<StreamedPart> partStreams(InputStream body, String contentType) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        PartIterator parts = new PartIterator(body, BoundaryParameter.of(contentType), maxPartBytes);
        return new Iterator<>() {
            private StreamedPart pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    pending = parts.nextStreamed();
                }
                return pending != null;
            }

            @Override
            public StreamedPart next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more body parts");
                }
                StreamedPart part = pending;
                pending = null;
                return part;
            }
        };
    }
}
