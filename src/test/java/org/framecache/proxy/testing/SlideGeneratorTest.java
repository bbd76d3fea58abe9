package org.framecache.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SlideGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORED_FRAMES =
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    @Test
    void newUidIsA2dot25UidWithinSixtyFourCharacters() {
        String uid = SlideGenerator.newUid();
        assertTrue(uid.matches("2\\.25\\.(0|[1-9][0-9]*)"), uid);
        assertTrue(uid.length() <= 64, uid); // PS3.5 9.1
        assertFalse(uid.equals(SlideGenerator.newUid()));
    }

    @Test
    void part10StructureOfSmallSlide() throws Exception {
        GeneratedInstance slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 4, 256, true);
        byte[] file = slide.part10();

        Parsed parsed = Parsed.of(file);
        assertEquals(SlideGenerator.JPEG_BASELINE, parsed.meta.get(0x00020010));
        assertEquals(SlideGenerator.VL_WHOLE_SLIDE_MICROSCOPY, parsed.meta.get(0x00020002));
        assertEquals(slide.sopInstanceUid(), parsed.meta.get(0x00020003));
        assertEquals(DicomWriter.IMPLEMENTATION_CLASS_UID, parsed.meta.get(0x00020012));
        assertEquals(slide.sopInstanceUid(), parsed.dataSet.get(0x00080018));
        assertEquals("16", parsed.dataSet.get(0x00280008));
        assertEquals("TILED_FULL", parsed.dataSet.get(0x00209311));
        assertEquals("YBR_FULL_422", parsed.dataSet.get(0x00280004));

        assertEquals(16, slide.numberOfFrames());
        assertEquals(16, parsed.fragments.size());
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(slide.frames().get(i), parsed.fragments.get(i), "fragment " + i);
        }
        // Basic Offset Table: offset of each fragment's item tag from the first one's (PS3.5 A.4).
        assertEquals(16, parsed.basicOffsetTable.size());
        long expected = 0;
        for (int i = 0; i < 16; i++) {
            assertEquals(expected, parsed.basicOffsetTable.get(i));
            expected += 8 + slide.frames().get(i).length;
        }

        Parsed withoutTable = Parsed.of(
                SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 2, 256, false).part10());
        assertTrue(withoutTable.basicOffsetTable.isEmpty());
        assertEquals(4, withoutTable.fragments.size());
    }

    @Test
    void tilesAreDistinctDecodableJpegs() throws Exception {
        GeneratedInstance slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 4, 256, false);
        Set<String> distinct = new HashSet<>();
        for (byte[] frame : slide.frames()) {
            assertEquals(0, frame.length % 2);
            assertEquals((byte) 0xFF, frame[0]);
            assertEquals((byte) 0xD8, frame[1]); // SOI
            distinct.add(Base64.getEncoder().encodeToString(frame));
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(frame));
            assertNotNull(decoded);
            assertEquals(256, decoded.getWidth());
            assertEquals(256, decoded.getHeight());
        }
        assertEquals(16, distinct.size());
    }

    @Test
    void nativeInstancesInBothVrEncodings() throws Exception {
        for (boolean explicit : new boolean[] {true, false}) {
            GeneratedInstance instance = SlideGenerator.nativeInstance(
                    SlideGenerator.newUid(), SlideGenerator.newUid(), 5, 64, 48, explicit);
            Parsed parsed = Parsed.of(instance.part10());
            String ts = explicit ? SlideGenerator.EXPLICIT_VR_LITTLE_ENDIAN : SlideGenerator.IMPLICIT_VR_LITTLE_ENDIAN;
            assertEquals(ts, instance.transferSyntaxUid());
            assertEquals(ts, parsed.meta.get(0x00020010));
            assertEquals("5", parsed.dataSet.get(0x00280008));
            assertEquals("RGB", parsed.dataSet.get(0x00280004));
            assertEquals(5, instance.frames().size());
            byte[] pixelData = parsed.nativePixelData;
            assertEquals(5 * 64 * 48 * 3, pixelData.length);
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                byte[] frame = instance.frames().get(i);
                assertEquals(64 * 48 * 3, frame.length);
                assertArrayEquals(frame, Arrays.copyOfRange(pixelData, i * frame.length, (i + 1) * frame.length));
                distinct.add(Base64.getEncoder().encodeToString(frame));
            }
            assertEquals(5, distinct.size());
        }
    }

    @Test
    void orthancStoresJpegSlideWithBasicOffsetTable() {
        verifyInOrthanc(SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 8, 8, 256, true));
    }

    @Test
    void orthancStoresJpegSlideWithoutBasicOffsetTable() {
        verifyInOrthanc(SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 8, 8, 256, false));
    }

    @Test
    void orthancStoresNativeExplicitVr() {
        verifyInOrthanc(SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 7, 128, 96, true));
    }

    @Test
    void orthancStoresNativeImplicitVr() {
        verifyInOrthanc(SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 7, 128, 96, false));
    }

    @Test
    void wholeSlideGenerationIsFastAndRealisticallySized() {
        SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 2, 256, true); // warm-up
        long start = System.nanoTime();
        GeneratedInstance slide =
                SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 32, 32, 256, true);
        long millis = (System.nanoTime() - start) / 1_000_000;
        double megabytes = slide.part10().length / 1e6;
        System.out.printf("32x32 tiles of 256: %d frames, %.1f MB, generated in %d ms%n",
                slide.numberOfFrames(), megabytes, millis);
        assertEquals(1024, slide.frames().size());
        assertTrue(megabytes >= 8 && megabytes <= 20, "size " + megabytes + " MB");
    }

    private static void verifyInOrthanc(GeneratedInstance instance) {
        OrthancProcess orthanc = OrthancProcess.shared();
        String id = orthanc.upload(instance.part10());
        assertFalse(id.isBlank());

        int n = instance.numberOfFrames();
        List<Integer> framesToCheck = new ArrayList<>(List.of(1, (n + 1) / 2, n));
        if (!instance.transferSyntaxUid().equals(SlideGenerator.EXPLICIT_VR_LITTLE_ENDIAN)
                && !instance.transferSyntaxUid().equals(SlideGenerator.IMPLICIT_VR_LITTLE_ENDIAN)) {
            framesToCheck.add(firstPaddedFrame(instance)); // Orthanc keeps the pad byte of odd-length JPEGs
        }
        for (int frame : framesToCheck) {
            assertArrayEquals(instance.frames().get(frame - 1), orthanc.rawFrame(id, frame), "REST raw frame " + frame);
        }

        String instanceUrl = orthanc.dicomWebUrl() + "/studies/" + instance.studyUid() + "/series/"
                + instance.seriesUid() + "/instances/" + instance.sopInstanceUid();
        HttpResponse<byte[]> metadata = orthanc.get(instanceUrl + "/metadata", "application/dicom+json");
        assertEquals(200, metadata.statusCode());
        JsonNode numberOfFrames = readJson(metadata.body()).get(0).path("00280008").path("Value").get(0);
        assertEquals(n, numberOfFrames.asInt());

        for (int frame : framesToCheck) {
            HttpResponse<byte[]> response = orthanc.get(instanceUrl + "/frames/" + frame, STORED_FRAMES);
            assertEquals(200, response.statusCode(), "WADO-RS frame " + frame);
            byte[] expected = instance.frames().get(frame - 1);
            assertTrue(indexOf(response.body(), expected) >= 0, "frame " + frame + " bytes in the multipart body");
            String partContentType = firstPartHeaders(response.body()).get("content-type");
            Matcher ts = Pattern.compile("transfer-syntax=\"?([0-9.]+)").matcher(partContentType);
            assertTrue(ts.find(), partContentType);
            assertEquals(instance.transferSyntaxUid(), ts.group(1), partContentType);
        }
    }

    /** The first frame whose JPEG had odd length, so its fragment ends with the 0x00 pad byte. */
    private static int firstPaddedFrame(GeneratedInstance instance) {
        for (int i = 0; i < instance.frames().size(); i++) {
            byte[] f = instance.frames().get(i);
            if (f[f.length - 1] == 0 && f[f.length - 2] == (byte) 0xD9 && f[f.length - 3] == (byte) 0xFF) {
                return i + 1;
            }
        }
        throw new AssertionError("no odd-length JPEG among " + instance.frames().size() + " tiles");
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    /** Header names (lower case) and values of the first part of a multipart body. */
    private static Map<String, String> firstPartHeaders(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n") + 2; // after the first boundary line
        int end = text.indexOf("\r\n\r\n", start);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.substring(start, end).split("\r\n")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * An independent little reader for what the generator writes: text/UID values of top-level elements,
     * encapsulated fragments or native pixel data. Sequences have defined lengths and are skipped.
     */
    private static final class Parsed {
        final Map<Integer, String> meta = new LinkedHashMap<>();
        final Map<Integer, String> dataSet = new LinkedHashMap<>();
        final List<Long> basicOffsetTable = new ArrayList<>();
        final List<byte[]> fragments = new ArrayList<>();
        byte[] nativePixelData;

        static Parsed of(byte[] file) {
            Parsed parsed = new Parsed();
            for (int i = 0; i < 128; i++) {
                assertEquals(0, file[i], "preamble byte " + i);
            }
            assertEquals("DICM", new String(file, 128, 4, StandardCharsets.US_ASCII));
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            b.position(132);
            assertEquals(0x0002, b.getShort(132));
            assertEquals(0x0000, b.getShort(134));
            assertEquals("UL", new String(file, 136, 2, StandardCharsets.US_ASCII));
            assertEquals(4, b.getShort(138));
            int groupLength = b.getInt(140);
            int metaEnd = 144 + groupLength;
            b.position(144);
            parsed.read(b, metaEnd, true, parsed.meta);
            assertEquals(metaEnd, b.position(), "group length covers exactly the group 0002 elements");
            assertTrue((b.getShort(metaEnd) & 0xFFFF) != 0x0002, "no group 0002 element after the group length");
            boolean explicit = !SlideGenerator.IMPLICIT_VR_LITTLE_ENDIAN.equals(parsed.meta.get(0x00020010));
            parsed.read(b, file.length, explicit, parsed.dataSet);
            return parsed;
        }

        private void read(ByteBuffer b, int end, boolean explicit, Map<Integer, String> values) {
            long previous = -1;
            while (b.position() < end) {
                int tag = ((b.getShort() & 0xFFFF) << 16) | (b.getShort() & 0xFFFF);
                assertTrue(Integer.toUnsignedLong(tag) > previous, "ascending tags");
                previous = Integer.toUnsignedLong(tag);
                String vr = null;
                long length;
                if (explicit) {
                    vr = new String(new byte[] {b.get(), b.get()}, StandardCharsets.US_ASCII);
                    if (Set.of("OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "OV", "SV", "UV").contains(vr)) {
                        b.getShort();
                        length = Integer.toUnsignedLong(b.getInt());
                    } else {
                        length = b.getShort() & 0xFFFF;
                    }
                } else {
                    length = Integer.toUnsignedLong(b.getInt());
                }
                if (tag == 0x7FE00010 && length == 0xFFFFFFFFL) {
                    readFragments(b);
                    continue;
                }
                assertEquals(0, length % 2, String.format("even length of (%08X)", tag));
                byte[] value = new byte[(int) length];
                b.get(value);
                if (tag == 0x7FE00010) {
                    nativePixelData = value;
                } else if (vr == null || !Set.of("OB", "SQ", "US", "UL", "FL").contains(vr)) {
                    String text = new String(value, StandardCharsets.US_ASCII);
                    values.put(tag, "UI".equals(vr) || text.endsWith("\0") ? text.replaceAll("\0$", "") : text.trim());
                }
            }
        }

        private void readFragments(ByteBuffer b) {
            boolean first = true;
            while (true) {
                int tag = ((b.getShort() & 0xFFFF) << 16) | (b.getShort() & 0xFFFF);
                int length = b.getInt();
                if (tag == 0xFFFEE0DD) {
                    assertEquals(0, length);
                    return;
                }
                assertEquals(0xFFFEE000, tag, "item tag");
                byte[] value = new byte[length];
                b.get(value);
                if (first) {
                    ByteBuffer table = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                    while (table.hasRemaining()) {
                        basicOffsetTable.add(Integer.toUnsignedLong(table.getInt()));
                    }
                    first = false;
                } else {
                    fragments.add(value);
                }
            }
        }
    }
}
