package org.framecache.proxy.multipart;

import java.io.InputStream;
import java.util.Map;

/**
 * One body part whose content is read from the multipart body as it is consumed ({@link
 * MultipartRelatedReader#partStreams}): headers as for {@link BodyPart}, content valid until the next part is asked for.
 *
 * @param headers part headers, lower-case names
 * @param content the part's content; ends at the part's delimiter
 */
public record StreamedPart(Map<String, String> headers, InputStream content) {

    /** @return the part's Content-Type header value, or null when absent */
    public String contentType() {
        return headers.get("content-type");
    }

    /** @return the part's Content-Length as declared in its headers, or -1 when absent or invalid */
    public long declaredLength() {
        return BodyPart.parseLength(headers.get("content-length"));
    }
}
