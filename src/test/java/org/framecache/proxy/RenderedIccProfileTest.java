package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.InflaterInputStream;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The instance's ICC profile as a rendering source, in front of real Orthanc (which names it in the metadata as bulk
 * data): fetched once per instance with the caller's credentials and cached, embedded as it is with iccprofile=yes,
 * a colour transform with iccprofile=adobergb changes the pixels, and iccprofile=no never fetches it.
 */
class RenderedIccProfileTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private GeneratedInstance slide;
    private byte[] profile;

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    @BeforeAll
    void upload() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/icc/AdobeRGB1998.icc")) {
            profile = in.readAllBytes();
        }
        GeneratedInstance plain = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 2, 64, true);
        slide = new GeneratedInstance(plain.studyUid(), plain.seriesUid(), plain.sopInstanceUid(), plain.sopClassUid(),
                plain.transferSyntaxUid(), plain.rows(), plain.columns(), plain.numberOfFrames(),
                withIccProfile(plain.part10(), profile), plain.frames());
        ORTHANC.upload(slide.part10());
    }

    private String rendered(String frame, String query) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frame) + "/rendered?" + query;
    }

    @Test
    void theProfileIsFetchedOnceEmbeddedAsItIsAndUsedForTransforms() throws Exception {
        long before = upstreamCalls().getPassThroughCalls();
        HttpResponse<byte[]> asStored = get(rendered("1", "iccprofile=no"), "Accept", "image/png");
        assertEquals(200, asStored.statusCode(), new String(asStored.body()));
        assertEquals(null, iccpChunk(asStored.body()), "iccprofile=no embeds nothing");
        assertEquals(before, upstreamCalls().getPassThroughCalls(), "iccprofile=no never fetches the profile");

        HttpResponse<byte[]> yes = get(rendered("1", "iccprofile=yes"), "Accept", "image/png");
        assertEquals(200, yes.statusCode(), new String(yes.body()));
        assertArrayEquals(profile, iccpChunk(yes.body()), "the instance's own profile, as stored");
        assertEquals(before + 1, upstreamCalls().getPassThroughCalls(), "one bulk data call for the profile");

        HttpResponse<byte[]> converted = get(rendered("2", "iccprofile=srgb"), "Accept", "image/png");
        assertEquals(200, converted.statusCode(), new String(converted.body()));
        HttpResponse<byte[]> untouched = get(rendered("2", "iccprofile=no"), "Accept", "image/png");
        BufferedImage a = RenderedByProxyTest.image(converted.body());
        BufferedImage b = RenderedByProxyTest.image(untouched.body());
        assertTrue(RenderedByProxyTest.psnr(a, b) < 60, "Adobe RGB to sRGB changes the pixels");
        assertFalse(iccpChunk(converted.body()) == null, "the sRGB output says so");
        assertEquals(before + 1, upstreamCalls().getPassThroughCalls(), "the profile was fetched once per instance");
    }

    /** The profile of a PNG's iCCP chunk (PS: name, 0, method 0, zlib data), or null when it has none. */
    static byte[] iccpChunk(byte[] png) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(png).order(ByteOrder.BIG_ENDIAN);
        in.position(8);
        while (in.remaining() >= 12) {
            int length = in.getInt();
            String type = new String(png, in.position(), 4, StandardCharsets.US_ASCII);
            int data = in.position() + 4;
            if (type.equals("iCCP")) {
                int zero = data;
                while (png[zero] != 0) {
                    zero++;
                }
                try (InflaterInputStream z = new InflaterInputStream(
                        new java.io.ByteArrayInputStream(png, zero + 2, length - (zero + 2 - data)))) {
                    return z.readAllBytes();
                }
            }
            in.position(data + length + 4);
        }
        return null;
    }

    /**
     * The Part 10 file with ICC Profile (0028,2000) OB inserted in tag order (before LossyImageCompression
     * (0028,2110), explicit VR little endian; the data set has no group lengths to fix).
     */
    static byte[] withIccProfile(byte[] part10, byte[] profile) {
        byte[] before = {0x28, 0x00, 0x10, 0x21, 'C', 'S'};
        int at = indexOf(part10, before);
        if (at < 0) {
            throw new IllegalStateException("no (0028,2110) in the generated file");
        }
        byte[] value = profile.length % 2 == 0 ? profile : java.util.Arrays.copyOf(profile, profile.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(part10.length + value.length + 12);
        out.write(part10, 0, at);
        ByteBuffer element = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        element.putShort((short) 0x0028).putShort((short) 0x2000).put((byte) 'O').put((byte) 'B').putShort((short) 0)
                .putInt(value.length);
        out.writeBytes(element.array());
        out.writeBytes(value);
        out.write(part10, at, part10.length - at);
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 132; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
