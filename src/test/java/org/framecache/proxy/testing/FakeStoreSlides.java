package org.framecache.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;

/** Generated slides as the scripted fake store serves them: their metadata and their stored frames. */
public final class FakeStoreSlides {
    private static final String BOUNDARY = "slide-frames";

    private FakeStoreSlides() {
    }

    /** The slide the request path names, among those held. */
    public static GeneratedInstance held(List<GeneratedInstance> slides, String path) {
        return slides.stream().filter(s -> path.contains("/instances/" + s.sopInstanceUid() + "/")).findFirst()
                .orElseThrow();
    }

    /** The instance's stored frames as a store answers {@code transfer-syntax=*}, in the order asked. */
    public static Answer storedFrames(GeneratedInstance slide, String path, String mediaType) {
        String type = mediaType + "; transfer-syntax=" + slide.transferSyntaxUid();
        Part[] parts = Arrays.stream(path.substring(path.lastIndexOf('/') + 1).split(","))
                .map(n -> new Part(type, slide.frames().get(Integer.parseInt(n) - 1))).toArray(Part[]::new);
        return Answer.of(200, "multipart/related; type=\"application/octet-stream\"; boundary=" + BOUNDARY,
                FakeDicomWebStore.multipart(BOUNDARY, true, parts));
    }

    /**
     * What a store's metadata says of a TILED_FULL slide of 8-bit colour square frames laid out in one row
     * (PS3.18 DICOM JSON), plus {@code more} attributes (e.g. {@code "\"00282000\":{...}"}), if not empty.
     */
    public static byte[] metadata(GeneratedInstance slide, String photometric, String more) {
        String json = "[{"
                + "\"00080016\":{\"vr\":\"UI\",\"Value\":[\"" + slide.sopClassUid() + "\"]},"
                + "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + slide.sopInstanceUid() + "\"]},"
                + "\"00209311\":{\"vr\":\"CS\",\"Value\":[\"TILED_FULL\"]},"
                + "\"00280002\":{\"vr\":\"US\",\"Value\":[3]},"
                + "\"00280004\":{\"vr\":\"CS\",\"Value\":[\"" + photometric + "\"]},"
                + "\"00280006\":{\"vr\":\"US\",\"Value\":[0]},"
                + "\"00280008\":{\"vr\":\"IS\",\"Value\":[" + slide.frames().size() + "]},"
                + "\"00280010\":{\"vr\":\"US\",\"Value\":[" + slide.rows() + "]},"
                + "\"00280011\":{\"vr\":\"US\",\"Value\":[" + slide.columns() + "]},"
                + "\"00280100\":{\"vr\":\"US\",\"Value\":[8]},"
                + "\"00280101\":{\"vr\":\"US\",\"Value\":[8]},"
                + "\"00280102\":{\"vr\":\"US\",\"Value\":[7]},"
                + "\"00280103\":{\"vr\":\"US\",\"Value\":[0]},"
                + (more.isEmpty() ? "" : more + ",")
                + "\"00480006\":{\"vr\":\"UL\",\"Value\":[" + slide.columns() * slide.frames().size() + "]},"
                + "\"00480007\":{\"vr\":\"UL\",\"Value\":[" + slide.rows() + "]}}]";
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
