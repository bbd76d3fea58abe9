package org.framecache.proxy.render;

import java.awt.image.BufferedImage;
import java.io.IOException;

import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FrameRequest;

/** The stored frames a rendering or transcoding is made from: found in the stored-frames request, and decoded. */
final class StoredFrameDecoder {
    private final ImageCodecs codecs;

    StoredFrameDecoder(ImageCodecs codecs) {
        this.codecs = codecs;
    }

    /** Stored frame {@code frame}, fetched for the rendering; 502 when it is not there. */
    static CachedFrame storedFrame(FrameRequest stored, int frame) {
        CachedFrame source = stored == null ? null : stored.get(frame);
        if (source == null) {
            throw new ProxyException(502, "the stored frame " + frame + " was not at hand to render");
        }
        return source;
    }

    /** The transfer syntax a stored frame is in, from its content type; 502 when it names none. */
    static String syntaxOf(CachedFrame frame) {
        String syntax = MediaType.parse(frame.contentType()).parameter("transfer-syntax");
        if (syntax == null) {
            throw new ProxyException(502, "the stored frame names no transfer syntax");
        }
        return syntax;
    }

    /** The pixels of stored frame {@code frame}: 406 without a decoder for its syntax, 502 when it cannot be decoded. */
    BufferedImage decode(CachedFrame source, PixelFormat format, int frame) {
        String syntax = syntaxOf(source);
        FrameDecoder decoder = codecs.decoder(syntax).orElseThrow(() -> ProxyException.notAcceptable(
                "cannot decode frames stored as " + syntax + " here: " + codecs.whyNoDecoder(syntax).orElse("")));
        if (format == null) {
            throw new ProxyException(502, "the instance's metadata does not describe its pixels");
        }
        try {
            return decoder.decode(source.bytes(), format);
        } catch (IOException | RuntimeException e) {
            throw new ProxyException(502, "the stored frame " + frame + " could not be decoded: " + e.getMessage());
        }
    }
}
