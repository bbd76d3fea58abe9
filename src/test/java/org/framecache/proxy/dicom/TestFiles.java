package org.framecache.proxy.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.framecache.proxy.testing.DicomWriter;

/**
 * A tiny little-endian DICOM encoder for hand-built test files: unlike the project's generator it writes any
 * structure asked for (undefined lengths, nested sequences, several fragments per frame, offset tables), in
 * whatever order the test calls it.
 */
final class TestFiles {

    static final String EXPLICIT = "1.2.840.10008.1.2.1";
    static final String IMPLICIT = "1.2.840.10008.1.2";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    static final String JPEG_2000 = "1.2.840.10008.1.2.4.90";
    static final String RLE = "1.2.840.10008.1.2.5";
    static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    static final String BIG_ENDIAN = "1.2.840.10008.1.2.2";

    static final int UNDEFINED = 0xFFFFFFFF;

    private final boolean explicit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TestFiles(boolean explicit) {
        this.explicit = explicit;
    }

    static TestFiles dataSet(boolean explicit) {
        return new TestFiles(explicit);
    }

    static TestFiles dataSet(String transferSyntax) {
        return new TestFiles(!IMPLICIT.equals(transferSyntax));
    }

    /** Element header: explicit VR with a 16- or 32-bit length (PS3.5 7.1.2), or implicit (7.1.3). */
    TestFiles header(int tag, String vr, int length) {
        tag(tag);
        if (!explicit) {
            int32(length);
        } else if (List.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV").contains(vr)) {
            out.write(vr.charAt(0));
            out.write(vr.charAt(1));
            uint16(0);
            int32(length);
        } else {
            out.write(vr.charAt(0));
            out.write(vr.charAt(1));
            uint16(length);
        }
        return this;
    }

    TestFiles element(int tag, String vr, byte[] value) {
        header(tag, vr, value.length);
        out.writeBytes(value);
        return this;
    }

    TestFiles uid(int tag, String uid) {
        return element(tag, "UI", pad(uid.getBytes(StandardCharsets.US_ASCII), (byte) 0));
    }

    TestFiles text(int tag, String vr, String value) {
        return element(tag, vr, pad(value.getBytes(StandardCharsets.US_ASCII), (byte) ' '));
    }

    TestFiles us(int tag, int value) {
        return element(tag, "US", new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    /** OV: 64-bit little-endian values (PS3.5 6.2). */
    TestFiles ov(int tag, long... values) {
        byte[] v = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < 8; b++) {
                v[8 * i + b] = (byte) (values[i] >>> (8 * b));
            }
        }
        return element(tag, "OV", v);
    }

    TestFiles sequenceStart(int tag) {
        return header(tag, "SQ", UNDEFINED);
    }

    TestFiles itemStart() {
        tag(0xFFFEE000);
        return int32(UNDEFINED);
    }

    TestFiles item(byte[] content) {
        tag(0xFFFEE000);
        int32(content.length);
        out.writeBytes(content);
        return this;
    }

    TestFiles itemEnd() {
        tag(0xFFFEE00D);
        return int32(0);
    }

    TestFiles sequenceEnd() {
        tag(0xFFFEE0DD);
        return int32(0);
    }

    TestFiles raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /**
     * Encapsulated Pixel Data: frames given as lists of (even-length) fragments; a Basic Offset Table when
     * {@code withBasicOffsetTable}.
     */
    TestFiles encapsulated(List<List<byte[]>> frames, boolean withBasicOffsetTable) {
        long[] offsets = frameOffsets(frames);
        byte[] table = new byte[withBasicOffsetTable ? 4 * offsets.length : 0];
        for (int i = 0; withBasicOffsetTable && i < offsets.length; i++) {
            putInt(table, 4 * i, (int) offsets[i]);
        }
        header(0x7FE00010, "OB", UNDEFINED);
        item(table);
        frames.forEach(frame -> frame.forEach(this::item));
        return sequenceEnd();
    }

    /** Offset of each frame's first fragment item, from the first fragment item (PS3.5 Table A.4-1). */
    static long[] frameOffsets(List<List<byte[]>> frames) {
        long[] offsets = new long[frames.size()];
        long at = 0;
        for (int i = 0; i < frames.size(); i++) {
            offsets[i] = at;
            for (byte[] fragment : frames.get(i)) {
                at += 8 + fragment.length;
            }
        }
        return offsets;
    }

    /** The common top-level attributes of an image, in ascending tag order up to (0028,0100). */
    TestFiles image(String sop, String study, String series, int frames, int rows, int columns, int samples,
                    int bits) {
        return uid(0x00080016, "1.2.840.10008.5.1.4.1.1.77.1.6")
                .uid(0x00080018, sop)
                .uid(0x0020000D, study)
                .uid(0x0020000E, series)
                .us(0x00280002, samples)
                .text(0x00280008, "IS", Integer.toString(frames))
                .us(0x00280010, rows)
                .us(0x00280011, columns)
                .us(0x00280100, bits);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Preamble, "DICM", File Meta Information in Explicit VR Little Endian (PS3.10 7.1), then the data set. */
    static byte[] part10(String transferSyntax, byte[] dataSet) {
        TestFiles meta = new TestFiles(true)
                .element(0x00020001, "OB", new byte[] {0, 1})
                .uid(0x00020002, "1.2.840.10008.5.1.4.1.1.77.1.6")
                .uid(0x00020003, "2.25.1")
                .uid(0x00020010, transferSyntax)
                .uid(0x00020012, "2.25.2");
        byte[] metaBytes = meta.bytes();
        byte[] groupLength = new byte[4];
        putInt(groupLength, 0, metaBytes.length);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(new TestFiles(true).element(0x00020000, "UL", groupLength).bytes());
        file.writeBytes(metaBytes);
        file.writeBytes(dataSet);
        return file.toByteArray();
    }

    /** Splits a frame into {@code parts} even-length fragments, none but the first starting with FF D8. */
    static List<byte[]> split(byte[] frame, int parts) {
        List<byte[]> fragments = new ArrayList<>();
        int step = (frame.length / parts) & ~1;
        int start = 0;
        for (int i = 0; i < parts; i++) {
            int end = i == parts - 1 ? frame.length : start + step;
            while (i < parts - 1 && (frame[end] & 0xFF) == 0xFF && (frame[end + 1] & 0xFF) == 0xD8) {
                end += 2;
            }
            fragments.add(Arrays.copyOfRange(frame, start, end));
            start = end;
        }
        return fragments;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] pad(byte[] value, byte padding) {
        return DicomWriter.pad(value, padding);
    }

    private TestFiles tag(int tag) {
        uint16(tag >>> 16);
        return uint16(tag & 0xFFFF);
    }

    private TestFiles uint16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    private TestFiles int32(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        out.writeBytes(b);
        return this;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
