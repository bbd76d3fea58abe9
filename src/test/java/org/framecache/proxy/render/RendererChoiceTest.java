package org.framecache.proxy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.junit.jupiter.api.Test;

/** Who renders: the proxy when it decodes the stored syntax, else the store's /rendered when it can, else 406. */
class RendererChoiceTest {
    private static final String METADATA = """
            [{"00280010":{"vr":"US","Value":[16]},"00280011":{"vr":"US","Value":[16]},
              "00280002":{"vr":"US","Value":[3]},"00280100":{"vr":"US","Value":[8]}}]""";
    private final InstanceAccess access = new InstanceAccess(true, Duration.ofMinutes(1), Duration.ofMinutes(1), "k", 100);
    private final StoredSyntaxes syntaxes = new StoredSyntaxes(Duration.ofMinutes(1));
    private final ImageCodecs none = new ImageCodecs(List.of(), List.of(), List.of());

    @Test
    void withoutTheStoredSyntaxOnlyTheStoreRendersAndOnlyWhatItCan() {
        FrameRequest jpeg = request("image/jpeg");
        ProxyException e = assertThrows(ProxyException.class, () -> choice(none, false).choose(jpeg));
        assertEquals(406, e.getStatus());
        assertEquals("cannot render these frames here: the instance's stored transfer syntax is not known", e.getMessage());

        Representation asked = jpeg.getRepresentation();
        choice(none, true).choose(jpeg);
        assertSame(asked, jpeg.getRepresentation(), "the store's own rendering, under its own key");
        assertEquals(406, assertThrows(ProxyException.class,
                () -> choice(none, true).choose(request("image/webp"))).getStatus(), "the store writes no WebP");
    }

    @Test
    void theProxyRendersWhatItDecodesAndWrites() {
        FrameRequest jpeg = request("image/jpeg");
        syntaxes.remember(jpeg, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
        knowPixels(jpeg);
        choice(new ImageCodecs(), false).choose(jpeg);
        assertTrue(jpeg.getRepresentation().producedByProxy());
        assertEquals(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, jpeg.getRepresentation().source());

        FrameRequest noDecoder = request("image/jpeg");
        assertEquals(406, assertThrows(ProxyException.class, () -> choice(none, false).choose(noDecoder)).getStatus(),
                "the stored syntax is unknown to this choice's codecs");
    }

    private RendererChoice choice(ImageCodecs codecs, boolean storeFallback) {
        return new RendererChoice(codecs, syntaxes, access, new VirtualLevelChoice(codecs, syntaxes, access), storeFallback);
    }

    private void knowPixels(FrameRequest request) {
        Exchange asked = new DefaultExchange(new DefaultCamelContext());
        asked.setProperty(FrameRequest.PROPERTY, request);
        asked.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        asked.getMessage().setBody(new ByteArrayInputStream(METADATA.getBytes(StandardCharsets.UTF_8)));
        access.mustAskStore(asked);
        access.record(asked);
    }

    private static FrameRequest request(String mediaType) {
        FrameRequest request = new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {1},
                Representation.rendered(mediaType, ""), null, Map.of(), "");
        request.setRenderParameters(new RenderParameters(90, 1, Interpolation.AREA, null, IccProfile.NO, false));
        return request;
    }
}
