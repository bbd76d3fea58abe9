package org.framecache.proxy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * A codec whose native library is missing here is never chosen, and what is asked of it says which package to install
 * (the rendered route answers 406 or lets the store render, with that reason in the log).
 */
class ImageCodecsTest {
    private static final String JXL = "1.2.840.10008.1.2.4.110";
    private static final String WHY = "libjxl 0.7 cannot be loaded: install the Debian/Ubuntu package libjxl0.7";

    private record Decoder(Set<String> transferSyntaxes, Optional<String> unavailable) implements FrameDecoder {
        @Override
        public BufferedImage decode(byte[] frame, PixelFormat format) {
            throw new AssertionError("an unavailable decoder is never called");
        }
    }

    private record Encoder(String mediaType, Optional<String> unavailable) implements ImageEncoder {
        @Override
        public byte[] encode(BufferedImage image, int quality, byte[] iccProfile) {
            throw new AssertionError("an unavailable encoder is never called");
        }
    }

    @Test
    void aCodecWhoseLibraryIsMissingIsNeverChosenAndSaysWhatToInstall() {
        Decoder missing = new Decoder(Set.of(JXL), Optional.of(WHY));
        ImageCodecs codecs = new ImageCodecs(List.of(missing), List.of(new Encoder("image/jxl", Optional.of(WHY))), List.of());
        assertTrue(codecs.decoder(JXL).isEmpty());
        assertTrue(codecs.encoder("image/jxl").isEmpty());
        assertEquals(Optional.of(WHY), codecs.whyNoDecoder(JXL));
        assertEquals(Optional.of("no decoder for 1.2.840.10008.1.2.4.80"), codecs.whyNoDecoder("1.2.840.10008.1.2.4.80"));
    }

    @Test
    void anAvailableCodecOfTheSameSyntaxIsChosenOverAMissingOne() {
        Decoder missing = new Decoder(Set.of(JXL), Optional.of(WHY));
        Decoder working = new Decoder(Set.of(JXL), Optional.empty());
        ImageCodecs codecs = new ImageCodecs(List.of(missing, working), List.of(), List.of());
        assertSame(working, codecs.decoder(JXL).orElseThrow());
        assertEquals(Optional.empty(), codecs.whyNoDecoder(JXL));
    }
}
