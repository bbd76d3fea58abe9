package org.framecache.proxy.multipart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.framecache.proxy.http.MediaType;

/**
 * Reads one part's header block from the body window, bounded by {@link MultipartRelatedReader#MAX_HEADER_BYTES}:
 * lower-cased names, trimmed values, repeated headers joined with {@code ", "}, bare-LF line ends and folded lines
 * accepted.
 */
final class PartHeaderReader {

    private static final int MAX_HEADER_BYTES = MultipartRelatedReader.MAX_HEADER_BYTES;

    private PartHeaderReader() {
    }

    /**
     * Reads the header block at the window's {@code pos}, up to and including the empty line, and moves {@code pos}
     * past it.
     *
     * @param partNumber the number of the part whose headers these are (1 for the first), for the messages
     * @return the headers, or null if the stream ended right at {@code pos}
     */
    static LinkedHashMap<String, String> read(BodyWindow window, int partNumber) throws IOException {
        final byte[] buf = window.buf;
        int scan = 0;       // relative to pos: next byte to examine
        int lineStart = 0;  // relative to pos
        while (true) {
            if (window.pos + scan >= window.limit) {
                if (scan >= MAX_HEADER_BYTES) {
                    throw new MalformedMultipartException("part headers exceed " + MAX_HEADER_BYTES + " bytes");
                }
                if (window.eof || !window.fill()) {
                    if (scan == 0) {
                        return null;
                    }
                    throw new MalformedMultipartException("multipart body truncated in part headers");
                }
                continue;
            }
            int pos = window.pos;
            int abs = pos + scan;
            int stop = Math.min(window.limit, pos + MAX_HEADER_BYTES);
            while (abs < stop && buf[abs] != '\n') {
                abs++;
            }
            if (abs == stop) {
                scan = abs - pos;
                if (scan >= MAX_HEADER_BYTES) {
                    throw new MalformedMultipartException("part headers exceed " + MAX_HEADER_BYTES + " bytes");
                }
                continue;
            }
            // buf[abs] == '\n'
            int lineEnd = abs - pos;
            int contentLen = lineEnd - lineStart;
            if (contentLen > 0 && buf[abs - 1] == '\r') {
                contentLen--;
            }
            if (contentLen == 0) {
                LinkedHashMap<String, String> headers = parseBlock(buf, pos, lineStart, partNumber);
                window.pos = abs + 1;
                return headers;
            }
            scan = lineEnd + 1;
            lineStart = scan;
        }
    }

    private static LinkedHashMap<String, String> parseBlock(byte[] buf, int start, int length, int partNumber) {
        LinkedHashMap<String, String> headers = new LinkedHashMap<>();
        if (length == 0) {
            return headers;
        }
        String block = new String(buf, start, length, StandardCharsets.ISO_8859_1);
        String lastName = null;
        int p = 0;
        while (p < block.length()) {
            int nl = block.indexOf('\n', p);
            int end = nl < 0 ? block.length() : nl;
            String line = block.substring(p, end);
            p = end + 1;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                continue;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (lastName == null) {
                    throw new MalformedMultipartException("malformed header in part " + partNumber
                            + ": continuation line without a header");
                }
                String folded = line.trim();
                if (!folded.isEmpty()) {
                    String prev = headers.get(lastName);
                    headers.put(lastName, prev.isEmpty() ? folded : prev + ' ' + folded);
                }
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).trim() : "";
            if (name.isEmpty() || !MediaType.isToken(name)) {
                throw new MalformedMultipartException("malformed header line in part " + partNumber);
            }
            name = name.toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
            lastName = name;
        }
        return headers;
    }
}
