package org.framecache.proxy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.inbound.VirtualLevel;
import org.junit.jupiter.api.Test;

/** Rendered frames with downsample=N of a TILED_FULL instance are the frames of its virtual level, within bounds. */
class VirtualLevelChoiceTest {
    /** 256x256 tiles of a 1000x600 matrix: 4 x 3 stored tiles. */
    private static final String TILED = """
            [{"00280008":{"vr":"IS","Value":[12]},"00280010":{"vr":"US","Value":[256]},
              "00280011":{"vr":"US","Value":[256]},"00280002":{"vr":"US","Value":[3]},
              "00280100":{"vr":"US","Value":[8]},"00480006":{"vr":"UL","Value":[1000]},
              "00480007":{"vr":"UL","Value":[600]},"00209311":{"vr":"CS","Value":["TILED_FULL"]}}]""";
    private static final String ONE_FRAME = """
            [{"00280010":{"vr":"US","Value":[256]},"00280011":{"vr":"US","Value":[256]},
              "00280002":{"vr":"US","Value":[3]},"00280100":{"vr":"US","Value":[8]},
              "00480006":{"vr":"UL","Value":[256]},"00480007":{"vr":"UL","Value":[256]},
              "00209311":{"vr":"CS","Value":["TILED_FULL"]}}]""";

    @Test
    void aDownsampledRenderingOfATiledInstanceIsAFrameOfItsLevel() {
        VirtualLevelChoice levels = levelsOf(TILED);
        FrameRequest request = request(2, 4);
        levels.chooseForRenderedFrames(request);
        assertEquals(new VirtualLevel(2, 256, 256, 1000, 600), request.getVirtualLevel());

        FrameRequest notDownsampled = request(1, 1);
        levels.chooseForRenderedFrames(notDownsampled);
        assertNull(notDownsampled.getVirtualLevel());
    }

    @Test
    void aLevelIsBoundedByItsFramesAndByTheLargestBlock() {
        VirtualLevelChoice levels = levelsOf(TILED);
        ProxyException beyond = assertThrows(ProxyException.class, () -> levels.chooseForRenderedFrames(request(2, 5)));
        assertEquals(400, beyond.getStatus());
        assertEquals("frame 5 is out of range: the level downsampled by 2 has 4 frames", beyond.getMessage());
        ProxyException tooBig = assertThrows(ProxyException.class, () -> levels.chooseForRenderedFrames(request(16, 1)));
        assertEquals("downsample on frames of 256x256 is at most 8", tooBig.getMessage());
    }

    @Test
    void anInstanceOfOneTileIsScaledDownOnItsOwn() {
        FrameRequest request = request(2, 1);
        levelsOf(ONE_FRAME).chooseForRenderedFrames(request);
        assertNull(request.getVirtualLevel());
    }

    private static VirtualLevelChoice levelsOf(String metadata) {
        InstanceAccess access = new InstanceAccess(true, Duration.ofMinutes(1), Duration.ofMinutes(1), "k", 100);
        Exchange asked = new DefaultExchange(new DefaultCamelContext());
        asked.setProperty(FrameRequest.PROPERTY, request(1, 1));
        asked.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        asked.getMessage().setBody(new ByteArrayInputStream(metadata.getBytes(StandardCharsets.UTF_8)));
        access.mustAskStore(asked);
        access.record(asked);
        // rendered frames need no codec to choose their level
        return new VirtualLevelChoice(null, new StoredSyntaxes(Duration.ofMinutes(1)), access);
    }

    private static FrameRequest request(int downsample, int frame) {
        FrameRequest request = new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {frame}, Representation.stored(),
                null, Map.of(), "");
        request.setRenderParameters(new RenderParameters(90, downsample, Interpolation.AREA, null, IccProfile.NO, false));
        return request;
    }
}
