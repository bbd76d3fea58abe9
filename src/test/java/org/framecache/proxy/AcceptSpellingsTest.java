package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Accept spellings viewers and libraries send, against the real Orthanc, each on a fresh instance (so no
 * answer comes from what an earlier spelling taught the proxy). Writes the table to target/accept-table.md.
 */
class AcceptSpellingsTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final String JPEG_STORED = "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50";

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    private record Row(String accept, int status, String partType, boolean storedBytes) {
    }

    private static final List<Row> TABLE = List.of(
            new Row(null, 200, JPEG_STORED, true),
            new Row("*/*", 200, JPEG_STORED, true),
            new Row("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*", 200, JPEG_STORED, true),
            new Row("multipart/related; type=application/octet-stream; transfer-syntax=\"*\"", 200, JPEG_STORED, true),
            new Row("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50", 200, JPEG_STORED, true),
            new Row("multipart/related; type=image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", 200, JPEG_STORED, true),
            new Row("multipart/related; type=\"image/jpeg\"; transfer-syntax=*", 200, JPEG_STORED, true),
            new Row("multipart/related; type=\"image/jpeg\"", 200, "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.70", false),
            new Row("multipart/related; type=\"application/octet-stream\"", 200,
                    "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", false),
            // a bare image/jpeg names the PS3.18 default syntax for JPEG, lossless 1.2.840.10008.1.2.4.70
            new Row("image/jpeg", 200, "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.70", false),
            new Row("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50, "
                    + "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*", 200, JPEG_STORED, true),
            new Row("multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90;q=0.5, "
                    + "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*", 200, JPEG_STORED, true),
            new Row("multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90", 406, null, false),
            new Row("multipart/related; type=\"image/jphc\"; transfer-syntax=1.2.840.10008.1.2.4.201", 406, null, false),
            new Row("multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.90", 406, null, false),
            new Row("text/html", 406, null, false),
            new Row("application/json, text/plain", 406, null, false),
            new Row("multipart/related; type=\"image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", 400, null, false));

    private final List<GeneratedInstance> instances = new ArrayList<>();

    @BeforeAll
    void upload() {
        String study = SlideGenerator.newUid();
        for (int i = 0; i < TABLE.size(); i++) {
            GeneratedInstance instance = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 2, 1, 64, false);
            ORTHANC.upload(instance.part10());
            instances.add(instance);
        }
    }

    @Test
    void everySpellingGetsTheRightAnswer() throws Exception {
        StringBuilder table = new StringBuilder("| Accept | status | part Content-Type | stored bytes |\n|---|---|---|---|\n");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < TABLE.size(); i++) {
            Row row = TABLE.get(i);
            GeneratedInstance instance = instances.get(i);
            String url = framesUrl(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid(), "2");
            HttpResponse<byte[]> response = row.accept() == null ? get(url) : get(url, "Accept", row.accept());
            String partType = "";
            boolean stored = false;
            if (response.statusCode() == 200) {
                BodyPart part = parts(response).get(0);
                partType = part.contentType();
                stored = java.util.Arrays.equals(instance.frames().get(1), part.content());
            } else {
                partType = new String(response.body()).strip();
            }
            table.append("| `").append(row.accept() == null ? "(none)" : row.accept()).append("` | ")
                    .append(response.statusCode()).append(" | ").append(partType.replace("|", "\\|")).append(" | ")
                    .append(response.statusCode() == 200 ? (stored ? "yes" : "no") : "").append(" |\n");
            if (response.statusCode() != row.status()
                    || row.status() == 200 && (!row.partType().equals(partType) || stored != row.storedBytes())) {
                wrong.add(row.accept() + " -> " + response.statusCode() + " " + partType);
            }
        }
        Files.writeString(Path.of("target/accept-table.md"), table);
        System.out.println(table);
        assertTrue(wrong.isEmpty(), "unexpected answers:\n" + String.join("\n", wrong) + "\n\n" + table);
    }
}
