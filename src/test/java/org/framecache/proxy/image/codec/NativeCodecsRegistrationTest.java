package org.framecache.proxy.image.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.framecache.proxy.image.ImageCodecs;
import org.junit.jupiter.api.Test;

/** The native codecs are found through META-INF/services and work on this machine (CI installs their libraries). */
class NativeCodecsRegistrationTest {

    @Test
    void everyNativeCodecIsFoundAndAvailable() {
        ImageCodecs codecs = new ImageCodecs();
        for (String syntax : new String[] {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
                "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
                "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112"}) {
            assertTrue(codecs.decoder(syntax).isPresent(), syntax + ": " + codecs.whyNoDecoder(syntax));
        }
        assertEquals(JpegXlEncoder.class, codecs.encoder("image/jxl").orElseThrow().getClass());
        assertEquals(JpegToJpegXlTranscoder.class, codecs.transcoder("1.2.840.10008.1.2.4.50",
                "1.2.840.10008.1.2.4.111").orElseThrow().getClass());
        assertEquals(JpegXlToJpegTranscoder.class, codecs.transcoder("1.2.840.10008.1.2.4.111",
                "1.2.840.10008.1.2.4.50").orElseThrow().getClass());
    }
}
