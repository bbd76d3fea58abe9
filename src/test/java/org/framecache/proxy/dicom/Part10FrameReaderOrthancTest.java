package org.framecache.proxy.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancProcess;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader against the Part 10 files a real Orthanc stores, frame by frame against Orthanc's own frames. */
class Part10FrameReaderOrthancTest {

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-bot", "jpeg-no-bot", "native-explicit", "native-implicit"})
    void framesMatchWhatOrthancServes(String kind) throws IOException {
        String study = SlideGenerator.newUid();
        String series = SlideGenerator.newUid();
        GeneratedInstance instance = switch (kind) {
            case "jpeg-bot" -> SlideGenerator.jpegWsi(study, series, 4, 3, 64, true);
            case "jpeg-no-bot" -> SlideGenerator.jpegWsi(study, series, 3, 3, 64, false);
            case "native-explicit" -> SlideGenerator.nativeInstance(study, series, 4, 16, 16, true);
            default -> SlideGenerator.nativeInstance(study, series, 3, 8, 24, false);
        };
        OrthancProcess orthanc = OrthancProcess.shared();
        String id = orthanc.upload(instance.part10());

        HttpResponse<byte[]> file = orthanc.get("/instances/" + id + "/file", "application/dicom");
        assertEquals(200, file.statusCode());
        List<byte[]> frames = new ArrayList<>();
        Part10Summary summary = Part10FrameReader.read(new ByteArrayInputStream(file.body()),
                (n, bytes) -> frames.add(bytes));

        assertEquals(instance.numberOfFrames(), summary.framesEmitted());
        assertEquals(instance.transferSyntaxUid(), summary.transferSyntaxUid());
        assertEquals(instance.sopInstanceUid(), summary.sopInstanceUid());
        assertEquals(study, summary.studyInstanceUid());
        assertEquals(series, summary.seriesInstanceUid());
        for (int n = 1; n <= frames.size(); n++) {
            assertArrayEquals(orthanc.rawFrame(id, n), frames.get(n - 1), "frame " + n + " vs Orthanc");
            assertArrayEquals(instance.frames().get(n - 1), frames.get(n - 1), "frame " + n + " vs generator");
        }
    }
}
