package org.framecache.proxy.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.FrameTranscoder;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageEncoder;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.Representation;

/**
 * Raw frames in a syntax the store does not hold, made from the stored frames: by a lossless transcoder when there is
 * one, else decoded and written as baseline JPEG.
 */
final class StoredFrameTranscoder {
    private final ImageCodecs codecs;
    private final StoredFrameDecoder decoder;
    private final RenderPool pool;

    StoredFrameTranscoder(ImageCodecs codecs, StoredFrameDecoder decoder, RenderPool pool) {
        this.codecs = codecs;
        this.decoder = decoder;
        this.pool = pool;
    }

    /** (stored syntax, wanted) → the proxy can make the wanted raw frames from the stored frames. */
    static BiPredicate<String, Representation> transcodable(ImageCodecs codecs) {
        return (stored, wanted) -> {
            if (wanted.rendered() || wanted.isStored() || wanted.producedByProxy()
                    || Representation.ANY_SYNTAX.equals(wanted.transferSyntax()) || wanted.transferSyntax().equals(stored)) {
                return false;
            }
            if (codecs.transcoder(stored, wanted.transferSyntax()).isPresent()) {
                return true;
            }
            return TransferSyntaxes.JPEG_BASELINE.equals(wanted.transferSyntax()) && codecs.decoder(stored).isPresent()
                    && codecs.encoder("image/jpeg").isPresent();
        };
    }

    /** The request's missing frames transcoded from their stored frames, on the pool. */
    List<FetchedFrame> transcode(FrameRequest request, FrameRequest stored, PixelFormat format) throws Exception {
        Representation representation = request.getRepresentation();
        String to = representation.transferSyntax();
        String partType = representation.mediaType() + "; transfer-syntax=" + to;
        List<Callable<FetchedFrame>> tasks = new ArrayList<>();
        for (int frame : request.getMissing()) {
            CachedFrame source = StoredFrameDecoder.storedFrame(stored, frame);
            String from = StoredFrameDecoder.syntaxOf(source);
            Optional<FrameTranscoder> lossless = codecs.transcoder(from, to);
            tasks.add(() -> {
                byte[] bytes;
                if (lossless.isPresent()) {
                    bytes = lossless.get().transcode(source.bytes());
                } else {
                    ImageEncoder jpeg = codecs.encoder("image/jpeg").orElseThrow(() ->
                            ProxyException.notAcceptable("no JPEG encoder works here"));
                    bytes = jpeg.encode(decoder.decode(source, format, frame), RenderQuery.DEFAULT_QUALITY, null);
                }
                return new FetchedFrame(frame, representation, new CachedFrame(partType, bytes));
            });
        }
        return pool.runAll(tasks, RenderMemory.transcodeBytes(format));
    }
}
