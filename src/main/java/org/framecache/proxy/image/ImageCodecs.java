package org.framecache.proxy.image;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoders, encoders and transcoders on the class path ({@link ServiceLoader}), found once. One that cannot work
 * on this machine (its native library is missing) is listed as unavailable, with the reason it gives, and never chosen.
 */
public final class ImageCodecs {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCodecs.class);

    private final List<FrameDecoder> decoders;
    private final List<ImageEncoder> encoders;
    private final List<FrameTranscoder> transcoders;

    public ImageCodecs() {
        this(load(FrameDecoder.class), load(ImageEncoder.class), load(FrameTranscoder.class));
    }

    public ImageCodecs(List<FrameDecoder> decoders, List<ImageEncoder> encoders, List<FrameTranscoder> transcoders) {
        this.decoders = List.copyOf(decoders);
        this.encoders = List.copyOf(encoders);
        this.transcoders = List.copyOf(transcoders);
        decoders.forEach(d -> d.unavailable().ifPresent(why -> LOG.warn("cannot decode {}: {}", d.transferSyntaxes(), why)));
        encoders.forEach(e -> e.unavailable().ifPresent(why -> LOG.warn("cannot write {}: {}", e.mediaType(), why)));
        transcoders.forEach(t -> t.unavailable().ifPresent(why -> LOG.warn("cannot transcode {} to {}: {}", t.from(), t.to(), why)));
    }

    private static <T> List<T> load(Class<T> type) {
        return ServiceLoader.load(type, ImageCodecs.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    }

    /** a decoder for frames stored in this syntax that works here */
    public Optional<FrameDecoder> decoder(String transferSyntax) {
        return decoders.stream().filter(d -> d.transferSyntaxes().contains(transferSyntax))
                .filter(d -> d.unavailable().isEmpty()).findFirst();
    }

    /** an encoder of this media type that works here */
    public Optional<ImageEncoder> encoder(String mediaType) {
        return encoders.stream().filter(e -> e.mediaType().equalsIgnoreCase(mediaType))
                .filter(e -> e.unavailable().isEmpty()).findFirst();
    }

    /** a lossless transcoder between these syntaxes that works here */
    public Optional<FrameTranscoder> transcoder(String from, String to) {
        return transcoders.stream().filter(t -> t.from().equals(from) && t.to().equals(to))
                .filter(t -> t.unavailable().isEmpty()).findFirst();
    }

    /** why nothing here decodes this syntax (the reasons of the decoders that would), or empty when one does */
    public Optional<String> whyNoDecoder(String transferSyntax) {
        if (decoder(transferSyntax).isPresent()) {
            return Optional.empty();
        }
        String reasons = decoders.stream().filter(d -> d.transferSyntaxes().contains(transferSyntax))
                .flatMap(d -> d.unavailable().stream()).collect(Collectors.joining("; "));
        return Optional.of(reasons.isEmpty() ? "no decoder for " + transferSyntax : reasons);
    }
}
