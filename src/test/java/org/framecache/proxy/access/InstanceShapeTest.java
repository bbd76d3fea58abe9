package org.framecache.proxy.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.junit.jupiter.api.Test;

/** The shape of an instance read from its DICOM JSON metadata, and its frame numbers checked against it. */
class InstanceShapeTest {
    private static final String TILED = """
            [{"00280008":{"vr":"IS","Value":["12 "]},"00280010":{"vr":"US","Value":[256]},
              "00280011":{"vr":"US","Value":[512]},"00280002":{"vr":"US","Value":[3]},
              "00280100":{"vr":"US","Value":[8]},"00280004":{"vr":"CS","Value":["YBR_FULL_422"]},
              "00480006":{"vr":"UL","Value":[2000]},"00480007":{"vr":"UL","Value":[700]},
              "00209311":{"vr":"CS","Value":["TILED_FULL"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"X"}]},
              "00480105":{"vr":"SQ","Value":[{"00282000":{"vr":"OB","BulkDataURI":"http://s/icc"}},
                                             {"00282000":{"vr":"OB","InlineBinary":"AAEC"}}]}},
             {"00280008":{"vr":"IS","Value":["99"]}}]
            """;

    @Test
    void framesPixelsLayoutAndIccComeFromTheFirstDataSet() {
        InstanceShape shape = InstanceShape.read(message(TILED));
        assertEquals(12, shape.frames());
        assertEquals(12L * 256 * 512 * 3, shape.pixelBytes());
        PixelFormat format = shape.image().format();
        assertEquals(256, format.rows());
        assertEquals(512, format.columns());
        assertEquals(3, format.samplesPerPixel());
        assertEquals("YBR_FULL_422", format.photometric());
        assertEquals(2000, shape.image().totalColumns());
        assertEquals(700, shape.image().totalRows());
        assertTrue(shape.image().tiledFull());
        assertEquals("http://s/icc", shape.image().iccBulkDataUri(), "the optical path's first item only");
        assertNull(shape.image().iccInline());
    }

    @Test
    void aTopLevelProfileWinsAndASingleFrameInstanceHasOneFrame() {
        InstanceShape shape = InstanceShape.read(message("""
                [{"00282000":{"vr":"OB","InlineBinary":"AAEC"},
                  "00480105":{"vr":"SQ","Value":[{"00282000":{"vr":"OB","BulkDataURI":"http://s/icc"}}]}}]"""));
        assertEquals(1, shape.frames());
        assertEquals(0, shape.pixelBytes(), "no pixel module: size unknown");
        assertNull(shape.image().format());
        assertArrayEquals(new byte[] {0, 1, 2}, shape.image().iccInline());
        assertNull(shape.image().iccBulkDataUri());
    }

    @Test
    void metadataThatIsNoDicomJsonArrayIsA502() {
        assertEquals(502, assertThrows(ProxyException.class, () -> InstanceShape.read(message("{}"))).getStatus());
        assertEquals(502, assertThrows(ProxyException.class,
                () -> InstanceShape.read(message("[{\"00280008\":{\"vr\":\"IS\",\"Value\":[\"x\"]}}]"))).getStatus());
    }

    @Test
    void framesBeyondNumberOfFramesAreA400NamingTheFirst() {
        FrameRequest request = new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {2, 5, 7}, Representation.stored(),
                null, Map.of(), "");
        assertEquals(0, FrameRange.firstOutOfRange(request, 7));
        assertEquals(5, FrameRange.firstOutOfRange(request, 4));
        FrameRange.check(request, 7);
        ProxyException e = assertThrows(ProxyException.class, () -> FrameRange.check(request, 1));
        assertEquals(400, e.getStatus());
        assertEquals("frame 2 is out of range: the instance has 1 frame", e.getMessage());
    }

    private static Message message(String json) {
        Message message = new DefaultMessage(new DefaultCamelContext());
        message.setBody(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        return message;
    }
}
