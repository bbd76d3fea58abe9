package org.framecache.proxy.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancProcess;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader against a real Orthanc's WADO-RS metadata of the same file: every attribute the reader puts out must
 * have Orthanc's VR and value, but for the ways Orthanc (1.10, DICOMweb plugin 1.7) is known to differ, each
 * excused below with its reason.
 *
 * <p>Excused at the top level by tag:
 * <ul>
 *   <li>AvailableTransferSyntaxUID (0008,3002): the reader adds it (as cloud stores do), Orthanc does not;</li>
 *   <li>Pixel Data (7FE0,0010): only the VR is compared, the BulkDataURI being whatever prefix the caller
 *       gives; for encapsulated syntaxes Orthanc leaves Pixel Data out.</li>
 * </ul>
 * Excused by rule, everywhere:
 * <ul>
 *   <li>FL: Orthanc prints the float's exact double (0.10000000149011612), the reader the shortest decimal that
 *       is the same float (0.1): compared as floats;</li>
 *   <li>InlineBinary: Orthanc gives a BulkDataURI for OB/OW/UN (compared against the bytes Orthanc serves there)
 *       and, against PS3.18 F.2.7, a Value for OD/OF/OL holding their first number only (compared against our
 *       first decoded number);</li>
 *   <li>PN: Orthanc writes empty component groups ("Alphabetic": ""), PS3.18 F.2.2 only non-empty ones;</li>
 *   <li>LT, ST, UT: Orthanc splits them at backslashes, which PS3.5 6.4 makes part of their single value;</li>
 *   <li>AE: Orthanc keeps leading spaces, which PS3.5 6.2 makes insignificant;</li>
 *   <li>IS that is not a number: Orthanc gives an empty Value array, the reader the string (PS3.18 Table F.2.3-1
 *       allows strings for IS);</li>
 *   <li>SV, UV, OV: Orthanc leaves them out;</li>
 *   <li>empty sequence items: Orthanc drops them, PS3.18 F.2.2 wants them as empty objects;</li>
 *   <li>implicit VR attributes outside the reader's small dictionary: UN with InlineBinary here, their real VR
 *       there.</li>
 * </ul>
 */
class DicomJsonReaderOrthancTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AVAILABLE_TRANSFER_SYNTAX_UID = "00083002";
    private static final String PIXEL_DATA = "7FE00010";

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-wsi", "native-explicit", "native-implicit", "rich-explicit", "rich-implicit"})
    void sameVrsAndValuesAsOrthanc(String kind) throws IOException {
        String study = SlideGenerator.newUid();
        String series = SlideGenerator.newUid();
        GeneratedInstance generated = switch (kind) {
            case "jpeg-wsi" -> SlideGenerator.jpegWsi(study, series, 3, 2, 64, true);
            case "native-explicit" -> SlideGenerator.nativeInstance(study, series, 3, 16, 16, true);
            case "native-implicit" -> SlideGenerator.nativeInstance(study, series, 3, 16, 16, false);
            default -> null;
        };
        String instance = generated != null ? generated.sopInstanceUid() : SlideGenerator.newUid();
        byte[] file = generated != null ? generated.part10()
                : TestFiles.part10(kind.endsWith("implicit") ? TestFiles.IMPLICIT : TestFiles.EXPLICIT,
                        richDataSet(kind.endsWith("explicit"), study, series, instance));
        OrthancProcess orthanc = OrthancProcess.shared();
        orthanc.upload(file);
        HttpResponse<byte[]> response = orthanc.get(orthanc.dicomWebUrl() + "/studies/" + study + "/series/" + series
                + "/instances/" + instance + "/metadata", "application/dicom+json");
        assertEquals(200, response.statusCode());
        JsonNode theirs = MAPPER.readTree(response.body()).get(0);

        ObjectNode ours = DicomJsonReader.read(new ByteArrayInputStream(file), "http://unused/bulk/");

        List<String> differences = new ArrayList<>();
        new Comparison(orthanc, kind.endsWith("implicit"), differences).dataSet("", ours, theirs, true);
        assertEquals(List.of(), differences, "differences from Orthanc for " + kind);
        assertTrue(ours.size() > 20, "compared " + ours.size() + " attributes");
    }

    /** Compares what we put out with Orthanc's, appending one line per difference. */
    private record Comparison(OrthancProcess orthanc, boolean implicitFile, List<String> differences) {

        void dataSet(String path, JsonNode ours, JsonNode theirs, boolean topLevel) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String where = path + field.getKey();
                JsonNode their = theirs.get(field.getKey());
                if (topLevel && field.getKey().equals(AVAILABLE_TRANSFER_SYNTAX_UID)) {
                    continue;
                }
                if (topLevel && field.getKey().equals(PIXEL_DATA)) {
                    String vr = field.getValue().get("vr").asText();
                    if (their != null && !vr.equals(their.path("vr").asText())) {
                        differences.add(where + ": VR " + vr + ", Orthanc " + their.path("vr").asText());
                    }
                    continue;
                }
                attribute(where, field.getValue(), their);
            }
        }

        void attribute(String where, JsonNode ours, JsonNode theirs) {
            String vr = ours.get("vr").asText();
            if (implicitFile && vr.equals("UN")) {
                return; // not in the reader's small dictionary
            }
            if (theirs == null) {
                if (!List.of("SV", "UV", "OV").contains(vr)) {
                    differences.add(where + " " + vr + ": missing in Orthanc");
                }
                return;
            }
            if (!vr.equals(theirs.path("vr").asText())) {
                differences.add(where + ": VR " + vr + ", Orthanc " + theirs.path("vr").asText());
                return;
            }
            if (ours.has("InlineBinary")) {
                binary(where, vr, Base64.getDecoder().decode(ours.get("InlineBinary").asText()), theirs);
            } else if (vr.equals("SQ")) {
                items(where, ours.path("Value"), theirs.path("Value"));
            } else if (!values(vr, ours.path("Value"), theirs.path("Value"))) {
                differences.add(where + " " + vr + ": " + ours.path("Value") + ", Orthanc " + theirs.path("Value"));
            }
        }

        void items(String where, JsonNode ours, JsonNode theirs) {
            List<JsonNode> nonEmpty = new ArrayList<>();
            ours.forEach(item -> {
                if (!item.isEmpty()) {
                    nonEmpty.add(item); // Orthanc drops empty items
                }
            });
            if (nonEmpty.size() != theirs.size()) {
                differences.add(where + ": " + nonEmpty.size() + " non-empty items, Orthanc " + theirs.size());
                return;
            }
            for (int i = 0; i < nonEmpty.size(); i++) {
                dataSet(where + "[" + i + "].", nonEmpty.get(i), theirs.get(i), false);
            }
        }

        boolean values(String vr, JsonNode ours, JsonNode theirs) {
            if (vr.equals("LT") || vr.equals("ST") || vr.equals("UT")) {
                List<String> parts = new ArrayList<>();
                theirs.forEach(v -> parts.add(v.asText()));
                return ours.size() == 1 && ours.get(0).asText().equals(String.join("\\", parts));
            }
            if (vr.equals("IS") && theirs.isArray() && theirs.isEmpty()) {
                return ours.size() == 1 && ours.get(0).isTextual(); // not a number: Orthanc drops it
            }
            if (ours.size() != theirs.size()) {
                return false;
            }
            for (int i = 0; i < ours.size(); i++) {
                if (!value(vr, ours.get(i), theirs.get(i))) {
                    return false;
                }
            }
            return true;
        }

        boolean value(String vr, JsonNode ours, JsonNode theirs) {
            if (ours.isNumber() && theirs.isNumber()) {
                return vr.equals("FL") ? ours.floatValue() == theirs.floatValue()
                        : ours.decimalValue().compareTo(theirs.decimalValue()) == 0;
            }
            if (vr.equals("AE") && theirs.isTextual()) {
                return ours.asText().equals(theirs.asText().strip());
            }
            if (vr.equals("PN") && theirs.isObject()) {
                ObjectNode nonEmpty = ((ObjectNode) theirs).deepCopy();
                nonEmpty.properties().removeIf(group -> group.getValue().asText().isEmpty());
                return ours.equals(nonEmpty);
            }
            return ours.equals(theirs);
        }

        /** Our InlineBinary against Orthanc's bulk data bytes, or its (non-standard) numbers. */
        void binary(String where, String vr, byte[] ours, JsonNode theirs) {
            if (theirs.has("BulkDataURI")) {
                byte[] bulk = bulkData(theirs.get("BulkDataURI").asText());
                if (!Arrays.equals(ours, bulk)) {
                    differences.add(where + " " + vr + ": " + ours.length + " bytes differ from Orthanc's "
                            + bulk.length + " bulk data bytes");
                }
                return;
            }
            List<JsonNode> decoded = new ArrayList<>();
            ByteBuffer b = ByteBuffer.wrap(ours).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                switch (vr) {
                    case "OF" -> decoded.add(MAPPER.getNodeFactory().numberNode(b.getFloat()));
                    case "OD" -> decoded.add(MAPPER.getNodeFactory().numberNode(b.getDouble()));
                    case "OL" -> decoded.add(MAPPER.getNodeFactory().numberNode(Integer.toUnsignedLong(b.getInt())));
                    default -> {
                        differences.add(where + " " + vr + ": InlineBinary, Orthanc " + theirs);
                        return;
                    }
                }
            }
            // Orthanc's Value holds only the first of them
            JsonNode values = MAPPER.valueToTree(decoded.subList(0, Math.min(1, decoded.size())));
            if (!values(vr.equals("OF") ? "FL" : vr, values, theirs.path("Value"))) {
                differences.add(where + " " + vr + ": " + values + ", Orthanc " + theirs.path("Value"));
            }
        }

        byte[] bulkData(String uri) {
            HttpResponse<byte[]> response = orthanc.get(uri, "multipart/related; type=\"application/octet-stream\"");
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + uri + ": HTTP " + response.statusCode());
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            Iterator<BodyPart> parts = new MultipartRelatedReader(1 << 20)
                    .parts(new ByteArrayInputStream(response.body()), contentType);
            return parts.next().content();
        }
    }

    /**
     * A data set with a value of every VR (the Selector Attribute Value tags of PS3.3 C.23.4 have one per VR),
     * UTF-8 names with all three component groups, multiple and empty values, sequences of both lengths with an
     * empty item, private tags, and in explicit VR a UN of undefined length.
     */
    private static byte[] richDataSet(boolean explicit, String study, String series, String sop) {
        TestFiles code = TestFiles.dataSet(explicit)
                .text(0x00080100, "SH", "T-1")
                .text(0x00080102, "SH", "SRT")
                .text(0x00080104, "LO", "Meaning");
        TestFiles ds = TestFiles.dataSet(explicit)
                .text(0x00080005, "CS", "ISO_IR 192")
                .text(0x00080008, "CS", "ORIGINAL\\\\VOLUME")
                .uid(0x00080016, SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY)
                .uid(0x00080018, sop)
                .text(0x00080050, "SH", "")
                .text(0x00080054, "AE", " AET ")
                .text(0x00080060, "CS", "SM")
                .element(0x00080070, "LO", utf8("Zoë Lab"))
                .text(0x00080081, "ST", " a\\b ")
                .text(0x00080090, "PN", "Doe^John\\Roe^Jane")
                .element(0x00081032, "SQ", new byte[0])
                .sequenceStart(0x00081115).itemStart().raw(code.bytes()).itemEnd().itemStart().itemEnd().sequenceEnd()
                .text(0x00090010, "LO", "ACME")
                .element(0x00091001, explicit ? "US" : "UN", le(4, b -> b.putShort((short) 3).putShort((short) 4)))
                .element(0x00091002, "OB", new byte[] {1, 2, 3, 4})
                .element(0x00100010, "PN", utf8("Yamada^Tarou=山田^太郎=やまだ^たろう"))
                .text(0x00100020, "LO", "PID\\")
                .text(0x00101010, "AS", "042Y")
                .text(0x00101020, "DS", "1.75")
                .text(0x00104000, "LT", "  comment\\with backslash ")
                .text(0x00180060, "DS", "120.0\\-1.5E3\\+.5") // KVP: not in the reader's dictionary
                .uid(0x0020000D, study)
                .uid(0x0020000E, series)
                .text(0x00200011, "IS", " 7\\-8")
                .text(0x00200013, "IS", "x1")
                .element(0x00209165, "AT", le(8, b -> b.putShort((short) 0x0028).putShort((short) 0x0010)
                        .putShort((short) 0x7FE0).putShort((short) 0x0010)))
                .us(0x00280010, 16)
                .element(0x00282000, "OB", new byte[] {9, 8, 7, 6})
                .element(0x00480001, "FL", le(8, b -> b.putFloat(0.1f).putFloat(-3e-9f)))
                .element(0x00480006, "UL", le(4, b -> b.putInt(-1)))
                .element(0x0048021E, "SL", le(4, b -> b.putInt(-70000)));
        if (explicit) {
            ds.text(0x00720061, "DA", "20240131")
                    .text(0x00720062, "CS", "A\\B")
                    .text(0x00720063, "DT", "20240131123456.5")
                    .element(0x00720065, "OB", new byte[] {5, 6})
                    .element(0x00720067, "OF", le(8, b -> b.putFloat(1.5f).putFloat(0.3f)))
                    .text(0x00720068, "LT", "lt")
                    .element(0x00720069, "OW", le(4, b -> b.putShort((short) 0x1234).putShort((short) -1)))
                    .element(0x0072006A, "PN", utf8("=Ideo^Graphic"))
                    .text(0x0072006B, "TM", "235959.123")
                    .text(0x0072006C, "SH", "sh")
                    .element(0x0072006D, "UN", new byte[] {7, 7})
                    .text(0x0072006E, "ST", "st")
                    .text(0x0072006F, "UC", "a\\b ")
                    .text(0x00720070, "UT", "unlimited ")
                    .text(0x00720071, "UR", "http://example.com/x ")
                    .text(0x00720072, "DS", "0.00025")
                    .element(0x00720073, "OD", le(8, b -> b.putDouble(Math.PI)))
                    .element(0x00720074, "FD", le(16, b -> b.putDouble(Math.E).putDouble(-1e300)))
                    .element(0x00720075, "OL", le(8, b -> b.putInt(7).putInt(-7)))
                    .element(0x00720076, "FL", le(4, b -> b.putFloat(25f)))
                    .element(0x00720078, "UL", le(8, b -> b.putInt(1).putInt(-2)))
                    .element(0x0072007A, "US", le(4, b -> b.putShort((short) 1).putShort((short) -1)))
                    .element(0x0072007C, "SL", le(4, b -> b.putInt(Integer.MIN_VALUE)))
                    .element(0x0072007E, "SS", le(4, b -> b.putShort((short) -2).putShort((short) 7)))
                    .uid(0x0072007F, "1.2.3\\4.5.6")
                    .element(0x00720081, "OV", le(8, b -> b.putLong(1)))
                    .element(0x00720082, "SV", le(8, b -> b.putLong(-5)))
                    .element(0x00720083, "UV", le(8, b -> b.putLong(-1)))
                    // PS3.5 6.2.2: UN of undefined length, a sequence in implicit VR
                    .header(0x00771010, "UN", TestFiles.UNDEFINED)
                    .itemStart().raw(TestFiles.dataSet(false).text(0x00100010, "PN", "In^Un").bytes()).itemEnd()
                    .sequenceEnd();
        }
        return ds.bytes();
    }

    private static byte[] utf8(String s) {
        return TestFiles.pad(s.getBytes(StandardCharsets.UTF_8), (byte) ' ');
    }

    private static byte[] le(int size, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

}
