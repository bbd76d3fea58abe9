package org.framecache.proxy.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DicomJsonReaderTest {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String PREFIX = "http://store/studies/1/series/2/instances/3/bulkdata/";
    private static final int UNDEFINED = TestFiles.UNDEFINED;

    // ---- value families (PS3.18 F.2.3) ----

    @Test
    void explicitVrValueOfEveryFamily() throws IOException {
        TestFiles ds = TestFiles.dataSet(true)
                .text(0x00190010, "LO", "FRAMECACHE TEST") // private creator: these are private tags, VRs as written
                .text(0x00191001, "AE", " STORESCP ")
                .text(0x00191002, "AS", "042Y")
                .element(0x00191003, "AT", le16(0x0028, 0x0010, 0x7FE0, 0x0010))
                .text(0x00191004, "CS", " ORIGINAL \\PRIMARY")
                .text(0x00191005, "DA", "20240131")
                .text(0x00191006, "DS", "0.00025\\-12.5E3\\ 1 \\+.5")
                .text(0x00191007, "DT", "20240131123456.789+0100")
                .element(0x00191008, "FD", f64(Math.PI, -0.5))
                .element(0x00191009, "FL", f32(1.5f, 0.001f))
                .text(0x0019100A, "IS", " 42\\-7\\2147483648")
                .text(0x0019100B, "LO", "Some Lab ")
                .text(0x0019100C, "LT", "  line one\\line two ")
                .element(0x0019100D, "OB", new byte[] {1, 2, 3, 0})
                .element(0x0019100E, "OD", f64(1.0))
                .element(0x0019100F, "OF", f32(2.0f))
                .element(0x00191010, "OL", le32(-1))
                .element(0x00191011, "OV", le64(1L))
                .element(0x00191012, "OW", le16(0x1234, 0xABCD))
                .text(0x00191013, "PN", "Doe^John\\Roe^Jane^^Dr.")
                .text(0x00191014, "SH", "ABC")
                .element(0x00191015, "SL", le32(-5, 70000))
                .element(0x00191016, "SS", le16(-2, 3))
                .text(0x00191017, "ST", " a\\b ")
                .element(0x00191018, "SV", le64(-9007199254740993L))
                .text(0x00191019, "TM", "123456.5")
                .text(0x0019101A, "UC", "one\\two ")
                .uid(0x0019101B, "1.2.3\\1.2.840.10008.1.2.1")
                .element(0x0019101C, "UL", le32(-1, 7))
                .element(0x0019101D, "UN", new byte[] {(byte) 0xFF, 0})
                .text(0x0019101E, "UR", "http://example.com/a\\b ")
                .element(0x0019101F, "US", le16(0, 65535))
                .text(0x00191020, "UT", "x")
                .element(0x00191021, "UV", le64(-1L));

        assertJson("""
                {
                  "00190010": {"vr": "LO", "Value": ["FRAMECACHE TEST"]},
                  "00191001": {"vr": "AE", "Value": ["STORESCP"]},
                  "00191002": {"vr": "AS", "Value": ["042Y"]},
                  "00191003": {"vr": "AT", "Value": ["00280010", "7FE00010"]},
                  "00191004": {"vr": "CS", "Value": ["ORIGINAL", "PRIMARY"]},
                  "00191005": {"vr": "DA", "Value": ["20240131"]},
                  "00191006": {"vr": "DS", "Value": [0.00025, -12500, 1, 0.5]},
                  "00191007": {"vr": "DT", "Value": ["20240131123456.789+0100"]},
                  "00191008": {"vr": "FD", "Value": [3.141592653589793, -0.5]},
                  "00191009": {"vr": "FL", "Value": [1.5, 0.001]},
                  "0019100A": {"vr": "IS", "Value": [42, -7, 2147483648]},
                  "0019100B": {"vr": "LO", "Value": ["Some Lab"]},
                  "0019100C": {"vr": "LT", "Value": ["  line one\\\\line two"]},
                  "0019100D": {"vr": "OB", "InlineBinary": "AQIDAA=="},
                  "0019100E": {"vr": "OD", "InlineBinary": "AAAAAAAA8D8="},
                  "0019100F": {"vr": "OF", "InlineBinary": "AAAAQA=="},
                  "00191010": {"vr": "OL", "InlineBinary": "/////w=="},
                  "00191011": {"vr": "OV", "InlineBinary": "AQAAAAAAAAA="},
                  "00191012": {"vr": "OW", "InlineBinary": "NBLNqw=="},
                  "00191013": {"vr": "PN", "Value": [{"Alphabetic": "Doe^John"}, {"Alphabetic": "Roe^Jane^^Dr."}]},
                  "00191014": {"vr": "SH", "Value": ["ABC"]},
                  "00191015": {"vr": "SL", "Value": [-5, 70000]},
                  "00191016": {"vr": "SS", "Value": [-2, 3]},
                  "00191017": {"vr": "ST", "Value": [" a\\\\b"]},
                  "00191018": {"vr": "SV", "Value": [-9007199254740993]},
                  "00191019": {"vr": "TM", "Value": ["123456.5"]},
                  "0019101A": {"vr": "UC", "Value": ["one", "two"]},
                  "0019101B": {"vr": "UI", "Value": ["1.2.3", "1.2.840.10008.1.2.1"]},
                  "0019101C": {"vr": "UL", "Value": [4294967295, 7]},
                  "0019101D": {"vr": "UN", "InlineBinary": "/wA="},
                  "0019101E": {"vr": "UR", "Value": ["http://example.com/a\\\\b"]},
                  "0019101F": {"vr": "US", "Value": [0, 65535]},
                  "00191020": {"vr": "UT", "Value": ["x"]},
                  "00191021": {"vr": "UV", "Value": [18446744073709551615]}
                }""", dataSet(TestFiles.EXPLICIT, ds));
    }

    @Test
    void numbersAreJsonNumbersAndIntegersStayIntegers() throws IOException {
        ObjectNode json = dataSet(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .text(0x00200013, "IS", "7")
                .text(0x00280030, "DS", "100\\0.50"));

        assertTrue(json.at("/00200013/Value/0").isIntegralNumber());
        // written as they were, not normalised (BigDecimal would make 100 into 1E+2)
        assertEquals("[100,0.50]", MAPPER.writeValueAsString(json.at("/00280030/Value")));
    }

    @Test
    void implicitVrTakesVrsFromTheDictionary() throws IOException {
        TestFiles pixelMeasures = TestFiles.dataSet(false).text(0x00280030, "DS", "0.00025\\0.00025");
        TestFiles ds = TestFiles.dataSet(false)
                .element(0x00080000, "UL", le32(1234)) // Group Length: never in the JSON (PS3.18 F.2.2)
                .uid(0x00080016, SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY)
                .text(0x00080060, "CS", "SM")
                .text(0x00090010, "LO", "ACME 1.0") // Private Creator: LO
                .element(0x00091001, "UN", new byte[] {1, 2}) // private: UN
                .text(0x00100010, "PN", "Doe^Jane")
                .text(0x00180060, "DS", "120") // KVP is not in the small dictionary: UN, the bytes as they are
                .text(0x00209311, "CS", "TILED_FULL")
                .us(0x00280010, 256)
                .text(0x00280030, "DS", "0.5\\0.5")
                .element(0x00480001, "FL", f32(2.5f))
                .element(0x00480006, "UL", le32(40000))
                .sequenceStart(0x52009229).itemStart()
                .element(0x00289110, "SQ", item(pixelMeasures.bytes()))
                .itemEnd().sequenceEnd();

        assertJson("""
                {
                  "00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.77.1.6"]},
                  "00080060": {"vr": "CS", "Value": ["SM"]},
                  "00090010": {"vr": "LO", "Value": ["ACME 1.0"]},
                  "00091001": {"vr": "UN", "InlineBinary": "AQI="},
                  "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane"}]},
                  "00180060": {"vr": "UN", "InlineBinary": "MTIwIA=="},
                  "00209311": {"vr": "CS", "Value": ["TILED_FULL"]},
                  "00280010": {"vr": "US", "Value": [256]},
                  "00280030": {"vr": "DS", "Value": [0.5, 0.5]},
                  "00480001": {"vr": "FL", "Value": [2.5]},
                  "00480006": {"vr": "UL", "Value": [40000]},
                  "52009229": {"vr": "SQ", "Value": [
                    {"00289110": {"vr": "SQ", "Value": [
                      {"00280030": {"vr": "DS", "Value": [0.00025, 0.00025]}}
                    ]}}
                  ]}
                }""", dataSet(TestFiles.IMPLICIT, ds));
    }

    @Test
    void implicitVrUnknownTagOfUndefinedLengthIsASequence() throws IOException {
        // (0040,0260) is not in the dictionary; undefined length only exists for sequences in implicit VR
        TestFiles ds = TestFiles.dataSet(false)
                .sequenceStart(0x00400260).itemStart()
                .text(0x00080100, "SH", "T-1")
                .itemEnd().sequenceEnd();

        assertJson("""
                {"00400260": {"vr": "SQ", "Value": [{"00080100": {"vr": "SH", "Value": ["T-1"]}}]}}
                """, dataSet(TestFiles.IMPLICIT, ds));
    }

    // ---- empty values (PS3.18 F.2.5), odd values ----

    @Test
    void emptyValuesHaveNoValueAndEmptyComponentsAreNull() throws IOException {
        TestFiles ds = TestFiles.dataSet(true)
                .text(0x00080050, "SH", "")
                .text(0x00080060, "CS", "A\\\\B")
                .text(0x00080090, "PN", "  ")
                .text(0x00100020, "LO", "\\")
                .element(0x00100021, "LO", new byte[] {0, 0})
                .text(0x00200011, "IS", "1\\")
                .text(0x00200012, "IS", "one")
                .text(0x00200013, "IS", "99999999999999999999")
                .text(0x00280030, "DS", "1.5x\\NaN")
                .element(0x00282000, "OB", new byte[0])
                .element(0x00480001, "FL", f32(Float.NaN, Float.POSITIVE_INFINITY))
                .element(0x00480002, "FD", f64(Double.NEGATIVE_INFINITY))
                .element(0x00480006, "UL", new byte[0])
                .element(0x00480008, "SQ", new byte[0]);

        assertJson("""
                {
                  "00080050": {"vr": "SH"},
                  "00080060": {"vr": "CS", "Value": ["A", null, "B"]},
                  "00080090": {"vr": "PN"},
                  "00100020": {"vr": "LO", "Value": [null, null]},
                  "00100021": {"vr": "LO"},
                  "00200011": {"vr": "IS", "Value": [1, null]},
                  "00200012": {"vr": "IS", "Value": ["one"]},
                  "00200013": {"vr": "IS", "Value": ["99999999999999999999"]},
                  "00280030": {"vr": "DS", "Value": ["1.5x", "NaN"]},
                  "00282000": {"vr": "OB"},
                  "00480001": {"vr": "FL", "Value": ["NaN", "Infinity"]},
                  "00480002": {"vr": "FD", "Value": ["-Infinity"]},
                  "00480006": {"vr": "UL"},
                  "00480008": {"vr": "SQ"}
                }""", dataSet(TestFiles.EXPLICIT, ds));
    }

    @Test
    void binaryNumbersOfTheWrongLengthAreRejected() {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .element(0x00280010, "US", new byte[] {1, 2, 3, 4, 5, 6, 7}).raw(new byte[1]).bytes());

        DicomFormatException e = assertThrows(DicomFormatException.class, () -> read(file, null));
        assertEquals("length 7 of US value (0028,0010) is not a multiple of 2", e.getMessage());
    }

    // ---- person names and character sets (PS3.5 6.1, 6.2.1) ----

    @Test
    void personNameComponentGroups() throws IOException {
        TestFiles ds = TestFiles.dataSet(true)
                .text(0x00080005, "CS", "ISO_IR 192")
                .element(0x00100010, "PN", pad(utf8("Yamada^Tarou=山田^太郎=やまだ^たろう")))
                .element(0x00100011, "PN", pad(utf8("A^B\\\\=X\\==Y ")));

        assertJson("""
                {
                  "00080005": {"vr": "CS", "Value": ["ISO_IR 192"]},
                  "00100010": {"vr": "PN", "Value": [
                    {"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎", "Phonetic": "やまだ^たろう"}]},
                  "00100011": {"vr": "PN", "Value": [
                    {"Alphabetic": "A^B"}, null, {"Ideographic": "X"}, {"Phonetic": "Y"}]}
                }""", dataSet(TestFiles.EXPLICIT, ds));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', value = {
            "ISO_IR 192 | UTF-8      | Müller^Zoë 李",
            "ISO_IR 100 | ISO-8859-1 | Müller^Zoë",
            "ISO_IR 6   | US-ASCII   | Muller^Zoe",
            "''         | US-ASCII   | Muller^Zoe",
            "ISO_IR 144 | ISO-8859-1 | Müller (decoded as ISO-8859-1, the fallback)",
    })
    void characterSets(String specificCharacterSet, String encoding, String name) throws IOException {
        TestFiles ds = TestFiles.dataSet(true)
                .text(0x00080005, "CS", specificCharacterSet)
                .element(0x00100010, "PN", pad(name.getBytes(Charset.forName(encoding))))
                .element(0x00104000, "LT", pad(name.getBytes(Charset.forName(encoding))));

        ObjectNode json = dataSet(TestFiles.EXPLICIT, ds);

        assertEquals(name, json.at("/00100010/Value/0/Alphabetic").asText());
        assertEquals(name, json.at("/00104000/Value/0").asText());
    }

    @Test
    void withoutSpecificCharacterSetBytesAboveAsciiReadAsLatin1() throws IOException {
        ObjectNode json = dataSet(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .element(0x00100010, "PN", pad("Müller".getBytes(StandardCharsets.ISO_8859_1))));

        assertEquals("Müller", json.at("/00100010/Value/0/Alphabetic").asText());
    }

    @Test
    void characterSetOfAnItemAppliesToThatItemOnly() throws IOException {
        TestFiles item = TestFiles.dataSet(true)
                .text(0x00080005, "CS", "ISO_IR 192")
                .element(0x00100010, "PN", pad(utf8("Zoë")));
        TestFiles ds = TestFiles.dataSet(true)
                .text(0x00080005, "CS", "ISO_IR 100")
                .element(0x00081111, "SQ", item(item.bytes()))
                .element(0x00100010, "PN", pad("Zoë".getBytes(StandardCharsets.ISO_8859_1)));

        ObjectNode json = dataSet(TestFiles.EXPLICIT, ds);

        assertEquals("Zoë", json.at("/00081111/Value/0/00100010/Value/0/Alphabetic").asText());
        assertEquals("Zoë", json.at("/00100010/Value/0/Alphabetic").asText());
    }

    @Test
    void characterSetDoesNotApplyToCodeStrings() throws IOException {
        ObjectNode json = dataSet(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .text(0x00080005, "CS", "ISO_IR 192")
                .element(0x00080060, "CS", new byte[] {'S', (byte) 0xE9}));

        assertEquals("Sé", json.at("/00080060/Value/0").asText()); // not U+FFFD: CS is default repertoire only
    }

    // ---- sequences (PS3.5 7.5) ----

    @ParameterizedTest(name = "explicit VR: {0}")
    @ValueSource(booleans = {true, false})
    void sequencesOfDefinedAndUndefinedLengthNestedAndEmpty(boolean explicit) throws IOException {
        byte[] inner = TestFiles.dataSet(explicit).text(0x00080100, "SH", "inner").bytes();
        byte[] definedItem = TestFiles.dataSet(explicit)
                .text(0x00080100, "SH", "defined")
                .element(0x0040A043, "SQ", item(inner)) // defined length, nested
                .bytes();
        TestFiles ds = TestFiles.dataSet(explicit)
                .element(0x00081110, "SQ", concat(item(definedItem), item(new byte[0])))
                .sequenceStart(0x00081115)
                .itemStart().text(0x00080100, "SH", "undefined")
                .sequenceStart(0x0040A043).itemStart().text(0x00080100, "SH", "deeper").itemEnd().sequenceEnd()
                .itemEnd()
                .itemStart().itemEnd() // empty item of undefined length
                .item(TestFiles.dataSet(explicit).text(0x00080100, "SH", "defined in undefined").bytes())
                .sequenceEnd()
                .sequenceStart(0x00081140).sequenceEnd(); // no items

        assertJson("""
                {
                  "00081110": {"vr": "SQ", "Value": [
                    {"00080100": {"vr": "SH", "Value": ["defined"]},
                     "0040A043": {"vr": "SQ", "Value": [{"00080100": {"vr": "SH", "Value": ["inner"]}}]}},
                    {}
                  ]},
                  "00081115": {"vr": "SQ", "Value": [
                    {"00080100": {"vr": "SH", "Value": ["undefined"]},
                     "0040A043": {"vr": "SQ", "Value": [{"00080100": {"vr": "SH", "Value": ["deeper"]}}]}},
                    {},
                    {"00080100": {"vr": "SH", "Value": ["defined in undefined"]}}
                  ]},
                  "00081140": {"vr": "SQ"}
                }""", dataSet(explicit ? TestFiles.EXPLICIT : TestFiles.IMPLICIT, ds));
    }

    @Test
    void explicitUnOfUndefinedLengthIsAnImplicitVrSequence() throws IOException {
        // PS3.5 6.2.2: the item's elements are in Implicit VR Little Endian although the file is explicit
        byte[] implicitElements = TestFiles.dataSet(false)
                .text(0x00100010, "PN", "Doe^Jane")
                .element(0x00111001, "UN", new byte[] {9, 8})
                .bytes();
        TestFiles ds = TestFiles.dataSet(true)
                .header(0x00111010, "UN", UNDEFINED)
                .itemStart().raw(implicitElements).itemEnd()
                .sequenceEnd()
                .text(0x00200010, "SH", "after");

        assertJson("""
                {
                  "00111010": {"vr": "SQ", "Value": [{
                    "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane"}]},
                    "00111001": {"vr": "UN", "InlineBinary": "CQg="}
                  }]},
                  "00200010": {"vr": "SH", "Value": ["after"]}
                }""", dataSet(TestFiles.EXPLICIT, ds));
    }

    @Test
    void encapsulatedIconPixelDataInsideAnItemIsSkipped() throws IOException {
        TestFiles icon = TestFiles.dataSet(true)
                .us(0x00280010, 2)
                .encapsulated(List.of(List.of(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0})), false);
        TestFiles ds = TestFiles.dataSet(true)
                .sequenceStart(0x00880200).itemStart().raw(icon.bytes()).itemEnd().sequenceEnd()
                .text(0x00200010, "SH", "after");

        assertJson("""
                {
                  "00880200": {"vr": "SQ", "Value": [{"00280010": {"vr": "US", "Value": [2]}}]},
                  "00200010": {"vr": "SH", "Value": ["after"]}
                }""", dataSet(TestFiles.JPEG_BASELINE, ds));
    }

    @Test
    void nestingIsBounded() throws IOException {
        assertEquals(64, DicomJsonReader.Limits.DEFAULT.maxDepth());
        read(TestFiles.part10(TestFiles.EXPLICIT, nested(64)), null);

        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> read(TestFiles.part10(TestFiles.EXPLICIT, nested(65)), null));
        assertEquals("sequences nested deeper than 64", e.getMessage());

        // far deeper than any stack: still the same one-line answer, no StackOverflowError
        e = assertThrows(DicomFormatException.class,
                () -> read(TestFiles.part10(TestFiles.EXPLICIT, nested(20_000)), null));
        assertEquals("sequences nested deeper than 64", e.getMessage());
    }

    /** {@code depth} sequences of undefined length, each the only element of its parent's one item. */
    private static byte[] nested(int depth) {
        TestFiles ds = TestFiles.dataSet(true);
        for (int i = 0; i < depth; i++) {
            ds.sequenceStart(0x0040A730).itemStart();
        }
        ds.text(0x00080100, "SH", "bottom");
        for (int i = 0; i < depth; i++) {
            ds.itemEnd().sequenceEnd();
        }
        return ds.bytes();
    }

    @Test
    void itemCrossingTheEndOfItsSequenceIsRejected() {
        byte[] item = item(TestFiles.dataSet(true).text(0x00080100, "SH", "abcd").bytes());
        // the sequence says it is 4 bytes shorter than its one item
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .header(0x00081110, "SQ", item.length - 4).raw(item).bytes());

        DicomFormatException e = assertThrows(DicomFormatException.class, () -> read(file, null));
        assertTrue(e.getMessage().startsWith("sequence item crosses the end of its sequence"), e.getMessage());
    }

    // ---- Pixel Data: never read ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"explicit-8", "explicit-16", "implicit-8", "implicit-16", "implicit-float",
            "encapsulated"})
    void pixelDataIsNeverReadAndBecomesABulkDataUri(String kind) throws IOException {
        boolean explicit = !kind.startsWith("implicit");
        int bits = kind.endsWith("16") ? 16 : 8;
        String ts = kind.equals("encapsulated") ? TestFiles.JPEG_BASELINE
                : explicit ? TestFiles.EXPLICIT : TestFiles.IMPLICIT;
        TestFiles head = TestFiles.dataSet(explicit)
                .image("2.25.7", "2.25.8", "2.25.9", 1, 2, 2, 1, bits)
                .text(0x00480010, "CS", "NO");
        int pixelTag = kind.endsWith("float") ? 0x7FE00008 : 0x7FE00010;
        String fileVr = kind.endsWith("float") ? "OF" : bits == 16 ? "OW" : "OB";
        // PS3.5 A.1: in implicit VR, Pixel Data is OW whatever Bits Allocated says
        String jsonVr = explicit || kind.endsWith("float") ? fileVr : "OW";
        if (kind.equals("encapsulated")) {
            head.header(pixelTag, "OB", UNDEFINED);
        } else {
            head.header(pixelTag, fileVr, 2 * 2 * bits / 8);
        }
        byte[] upToPixelValue = TestFiles.part10(ts, head.bytes());
        // the pixel value and, past it, an element that would be in the JSON if anything after Pixel Data were read
        byte[] rest = TestFiles.dataSet(explicit).raw(new byte[8]).text(0xFFFAFFFA, "SH", "trailer").bytes();
        byte[] file = concat(upToPixelValue, rest);

        ObjectNode withUri = DicomJsonReader.read(new FenceInputStream(file, upToPixelValue.length), PREFIX);
        ObjectNode withoutUri = DicomJsonReader.read(new FenceInputStream(file, upToPixelValue.length), null);

        String key = Tag.key(pixelTag);
        assertJson("{\"vr\": \"" + jsonVr + "\", \"BulkDataURI\": \"" + PREFIX + key + "\"}", withUri.get(key));
        assertFalse(withoutUri.has(key));
        assertEquals(withUri.size() - 1, withoutUri.size());
        assertEquals(List.of("00080016", "00080018", "0020000D", "0020000E", "00280002", "00280008", "00280010",
                "00280011", "00280100", "00480010"), fieldNames(withoutUri, "00083002"));
        assertEquals(ts, withoutUri.at("/00083002/Value/0").asText());
    }

    @Test
    void extendedOffsetTableIsABulkDataUriOrLeftOut() throws IOException {
        TestFiles ds = TestFiles.dataSet(true)
                .image("2.25.7", "2.25.8", "2.25.9", 2, 2, 2, 1, 8)
                .ov(0x7FE00001, 0, 10)
                .ov(0x7FE00002, 10, 10)
                .encapsulated(List.of(List.of(new byte[10]), List.of(new byte[10])), false);
        byte[] file = TestFiles.part10(TestFiles.JPEG_BASELINE, ds.bytes());

        ObjectNode withUri = read(file, PREFIX);
        ObjectNode withoutUri = read(file, null);

        assertJson("{\"vr\": \"OV\", \"BulkDataURI\": \"" + PREFIX + "7FE00001\"}", withUri.get("7FE00001"));
        assertJson("{\"vr\": \"OV\", \"BulkDataURI\": \"" + PREFIX + "7FE00002\"}", withUri.get("7FE00002"));
        assertFalse(withoutUri.has("7FE00001") || withoutUri.has("7FE00002") || withoutUri.has("7FE00010"));
    }

    // ---- large values and budgets ----

    @Test
    void largeValuesAreBulkDataAtTheTopLevelAndLeftOutInItems() throws IOException {
        byte[] big = new byte[64 * 1024 + 2];
        byte[] small = new byte[64 * 1024];
        TestFiles ds = TestFiles.dataSet(true)
                .element(0x00282000, "OB", big)
                .element(0x00291001, "OB", small)
                .element(0x00880200, "SQ", item(TestFiles.dataSet(true)
                        .us(0x00280010, 1)
                        .element(0x7FE00010, "OB", big)
                        .bytes()));

        ObjectNode withUri = dataSet(TestFiles.EXPLICIT, ds, PREFIX);
        ObjectNode withoutUri = dataSet(TestFiles.EXPLICIT, ds);

        assertJson("{\"vr\": \"OB\", \"BulkDataURI\": \"" + PREFIX + "00282000\"}", withUri.get("00282000"));
        assertFalse(withoutUri.has("00282000"));
        for (ObjectNode json : List.of(withUri, withoutUri)) {
            assertEquals(87384, json.at("/00291001/InlineBinary").asText().length()); // 64 KiB is still inline
            assertJson("[{\"00280010\": {\"vr\": \"US\", \"Value\": [1]}}]", json.at("/00880200/Value"));
        }
    }

    @Test
    void longTextIsBulkDataAndLongStringsAreLeftOut() throws IOException {
        DicomJsonReader.Limits limits = new DicomJsonReader.Limits(64, 16, 1 << 20, 1000, 8);
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .text(0x00080070, "LO", "0123456789ABCDEF")
                .text(0x00080080, "LO", "0123456789ABCDEFGH")
                .text(0x00104000, "LT", "0123456789ABCDEFGH")
                .bytes());

        ObjectNode json = DicomJsonReader.read(new ByteArrayInputStream(file), PREFIX, limits);

        assertEquals("0123456789ABCDEF", json.at("/00080070/Value/0").asText());
        assertFalse(json.has("00080080"), "LO may not be bulk data (PS3.18 F.2.2)");
        assertJson("{\"vr\": \"LT\", \"BulkDataURI\": \"" + PREFIX + "00104000\"}", json.get("00104000"));
    }

    @Test
    void attributeAndByteBudgetsAreEnforced() {
        TestFiles ds = TestFiles.dataSet(true).sequenceStart(0x00081115);
        for (int i = 0; i < 100; i++) {
            ds.itemStart().text(0x00080100, "SH", "item " + i).itemEnd();
        }
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, ds.sequenceEnd().bytes());

        DicomFormatException e = assertThrows(DicomFormatException.class, () -> DicomJsonReader.read(
                new ByteArrayInputStream(file), null, new DicomJsonReader.Limits(64, 64, 1 << 20, 150, 8)));
        assertEquals("more than 150 attributes and items", e.getMessage());
        e = assertThrows(DicomFormatException.class, () -> DicomJsonReader.read(
                new ByteArrayInputStream(file), null, new DicomJsonReader.Limits(64, 64, 500, 1000, 8)));
        assertEquals("data set values exceed 500 bytes", e.getMessage());
    }

    // ---- file meta, AvailableTransferSyntaxUID, order ----

    @Test
    void fileMetaIsLeftOutAndAvailableTransferSyntaxAddedInOrder() throws IOException {
        byte[] file = TestFiles.part10(TestFiles.JPEG_2000, TestFiles.dataSet(true)
                .uid(0x00080018, "2.25.5")
                .text(0x00100010, "PN", "Doe")
                .bytes());

        ObjectNode json = read(file, null);

        assertEquals(List.of("00080018", "00083002", "00100010"), fieldNames(json));
        assertJson("{\"vr\": \"UI\", \"Value\": [\"" + TestFiles.JPEG_2000 + "\"]}", json.get("00083002"));
    }

    @Test
    void availableTransferSyntaxOfTheDataSetIsKept() throws IOException {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .uid(0x00083002, "1.2.840.10008.1.2.4.50")
                .bytes());

        assertEquals("1.2.840.10008.1.2.4.50", read(file, null).at("/00083002/Value/0").asText());
    }

    @Test
    void attributesComeOutInTagOrderWhateverTheFileOrder() throws IOException {
        byte[] item = TestFiles.dataSet(true).text(0x00080104, "LO", "b").text(0x00080100, "SH", "a").bytes();
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .text(0x00100010, "PN", "Doe")
                .uid(0x00080018, "2.25.5")
                .element(0x00081110, "SQ", item(item))
                .bytes());

        ObjectNode json = read(file, null);

        assertEquals(List.of("00080018", "00081110", "00083002", "00100010"), fieldNames(json));
        assertEquals(List.of("00080100", "00080104"), fieldNames((ObjectNode) json.at("/00081110/Value/0")));
    }

    // ---- generated slides ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg", "native-explicit", "native-implicit"})
    void generatedSlides(String kind) throws IOException {
        GeneratedInstance instance = switch (kind) {
            case "jpeg" -> SlideGenerator.jpegWsi("2.25.1", "2.25.2", 3, 2, 32, true);
            case "native-explicit" -> SlideGenerator.nativeInstance("2.25.1", "2.25.2", 3, 8, 8, true);
            default -> SlideGenerator.nativeInstance("2.25.1", "2.25.2", 3, 8, 8, false);
        };

        ObjectNode json = read(instance.part10(), PREFIX);

        assertEquals(instance.sopInstanceUid(), json.at("/00080018/Value/0").asText());
        assertEquals("Test^Slide", json.at("/00100010/Value/0/Alphabetic").asText());
        assertEquals(instance.numberOfFrames(), json.at("/00280008/Value/0").asInt());
        assertTrue(json.at("/00280008/Value/0").isIntegralNumber());
        assertEquals(kind.equals("jpeg") ? 96 : 24, json.at("/00480006/Value/0").asLong());
        assertEquals("TILED_FULL", json.at("/00209311/Value/0").asText());
        assertEquals(0.00025, json.at("/52009229/Value/0/00289110/Value/0/00280030/Value/1").asDouble());
        assertEquals(instance.transferSyntaxUid(), json.at("/00083002/Value/0").asText());
        String pixelVr = kind.equals("native-implicit") ? "OW" : "OB";
        assertJson("{\"vr\": \"" + pixelVr + "\", \"BulkDataURI\": \"" + PREFIX + "7FE00010\"}", json.get("7FE00010"));
        assertFalse(json.toString().contains("\"00020"), "no file meta information");
    }

    @Test
    void oneBytePerReadGivesTheSameResult() throws IOException {
        GeneratedInstance instance = SlideGenerator.jpegWsi("2.25.1", "2.25.2", 2, 2, 32, false);
        InputStream trickle = new ByteArrayInputStream(instance.part10()) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }

            @Override
            public synchronized long skip(long n) {
                return 0;
            }
        };

        assertEquals(read(instance.part10(), PREFIX), DicomJsonReader.read(trickle, PREFIX));
    }

    // ---- malformed input ----

    @Test
    void fileWithoutPreambleAndPrefixIsRejected() {
        byte[] file = TestFiles.part10(TestFiles.EXPLICIT, new byte[0]);
        file[130] = 'X';

        assertEquals("not a DICOM Part 10 file (no preamble and DICM prefix)",
                assertThrows(DicomFormatException.class, () -> read(file, null)).getMessage());
        assertThrows(DicomFormatException.class, () -> read(new byte[100], null));
    }

    @ParameterizedTest
    @ValueSource(strings = {TestFiles.DEFLATED, TestFiles.BIG_ENDIAN, "1.2.840.10008.1.2.4.95"})
    void deflatedAndBigEndianAreUnsupported(String transferSyntax) {
        byte[] file = TestFiles.part10(transferSyntax, TestFiles.dataSet(true).uid(0x00080018, "2.25.5").bytes());

        assertEquals("unsupported transfer syntax " + transferSyntax,
                assertThrows(DicomFormatException.class, () -> read(file, null)).getMessage());
    }

    @Test
    void truncatedValueIsReported() {
        byte[] whole = TestFiles.part10(TestFiles.EXPLICIT, TestFiles.dataSet(true)
                .text(0x00100010, "PN", "Doe^John")
                .bytes());
        byte[] file = Arrays.copyOf(whole, whole.length - 3);

        assertEquals("truncated value of (0010,0010)",
                assertThrows(DicomFormatException.class, () -> read(file, null)).getMessage());
    }

    @ParameterizedTest(name = "explicit VR: {0}")
    @ValueSource(booleans = {true, false})
    void everyTruncationEitherReadsOrFailsAsAFormatError(boolean explicit) throws IOException {
        byte[] file = sampleFile(explicit);
        int failures = 0;
        for (int length = 0; length < file.length; length++) {
            try {
                read(Arrays.copyOf(file, length), PREFIX);
            } catch (DicomFormatException e) {
                failures++;
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
        assertTrue(failures > file.length / 2, failures + " of " + file.length + " truncations failed");
    }

    @ParameterizedTest(name = "explicit VR: {0}")
    @ValueSource(booleans = {true, false})
    void corruptedFilesEitherReadOrFailAsAFormatError(boolean explicit) throws IOException {
        byte[] file = sampleFile(explicit);
        Random random = new Random(42);
        int failures = 0;
        // small limits: a corrupted length then costs a few KiB, not a 1 MiB buffer, per run
        DicomJsonReader.Limits limits = new DicomJsonReader.Limits(4096, 4096, 1 << 20, 10_000, 16);
        for (int run = 0; run < 3000; run++) {
            byte[] corrupt = file.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                // past the preamble, or every run only tests the prefix check
                int at = 132 + random.nextInt(corrupt.length - 132);
                corrupt[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : 0xFF);
            }
            try {
                ObjectNode json = DicomJsonReader.read(new ByteArrayInputStream(corrupt), PREFIX, limits);
                MAPPER.writeValueAsString(json); // and what comes out can be written
            } catch (DicomFormatException e) {
                failures++;
            }
        }
        assertTrue(failures > 0);
    }

    /** A bit of everything: sequences of both lengths, nested, text, numbers, binary, then pixel data. */
    private static byte[] sampleFile(boolean explicit) {
        TestFiles ds = TestFiles.dataSet(explicit)
                .text(0x00080005, "CS", "ISO_IR 192")
                .uid(0x00080018, "2.25.77")
                .element(0x00081110, "SQ", item(TestFiles.dataSet(explicit)
                        .uid(0x00081150, "1.2.3")
                        .text(0x00081160, "IS", "1\\2")
                        .bytes()))
                .text(0x00100010, "PN", "Doe^J=D")
                .us(0x00280010, 4)
                .element(0x00282000, "OB", new byte[] {1, 2, 3, 4})
                .element(0x00480006, "UL", le32(100))
                .sequenceStart(0x52009229).itemStart()
                .sequenceStart(0x00289110).itemStart().text(0x00280030, "DS", "0.5\\0.5").itemEnd().sequenceEnd()
                .itemEnd().sequenceEnd()
                .header(0x7FE00010, "OB", 4).raw(new byte[4]);
        return TestFiles.part10(explicit ? TestFiles.EXPLICIT : TestFiles.IMPLICIT, ds.bytes());
    }

    // ---- helpers ----

    private static ObjectNode read(byte[] file, String prefix) throws IOException {
        return DicomJsonReader.read(new ByteArrayInputStream(file), prefix);
    }

    /** The JSON of a data set in a Part 10 file, without the AvailableTransferSyntaxUID the reader adds. */
    private static ObjectNode dataSet(String transferSyntax, TestFiles ds) throws IOException {
        return dataSet(transferSyntax, ds, null);
    }

    private static ObjectNode dataSet(String transferSyntax, TestFiles ds, String prefix) throws IOException {
        ObjectNode json = read(TestFiles.part10(transferSyntax, ds.bytes()), prefix);
        assertEquals(transferSyntax, json.at("/00083002/Value/0").asText());
        json.remove("00083002");
        return json;
    }

    private static List<String> fieldNames(ObjectNode json, String... except) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        names.removeAll(List.of(except));
        return names;
    }

    /** Equal as JSON, numbers by value (0.5 and 5E-1 are the same number), after a round trip through text. */
    static void assertJson(String expected, JsonNode actual) throws IOException {
        JsonNode want = MAPPER.readTree(expected);
        JsonNode got = MAPPER.readTree(MAPPER.writeValueAsString(actual));
        if (!got.equals(NUMBERS_BY_VALUE, want)) {
            fail("expected\n" + want.toPrettyString() + "\nbut was\n" + got.toPrettyString());
        }
    }

    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** An explicit-length item around {@code content} (PS3.5 7.5.1). */
    private static byte[] item(byte[] content) {
        return concat(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0}, le32(content.length), content);
    }

    private static byte[] concat(byte[]... parts) {
        return TestFiles.concat(List.of(parts));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pad(byte[] value) {
        return TestFiles.pad(value, (byte) ' ');
    }

    private static byte[] le16(int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    private static byte[] le32(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] le64(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    private static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] f64(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** Serves the bytes before {@code fence}; any attempt to read or skip past it fails the test. */
    private static final class FenceInputStream extends InputStream {
        private final byte[] data;
        private final int fence;
        private int pos;

        FenceInputStream(byte[] data, int fence) {
            this.data = data;
            this.fence = fence;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= fence) {
                throw new AssertionError("read past byte " + fence + " (the start of the Pixel Data value)");
            }
            int n = Math.min(len, fence - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            if (pos + n > fence) {
                throw new AssertionError("skip past byte " + fence + " (the start of the Pixel Data value)");
            }
            pos += (int) n;
            return n;
        }
    }
}
