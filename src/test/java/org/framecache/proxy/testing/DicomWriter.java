package org.framecache.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Minimal little-endian DICOM element encoder, just enough to build test files.
 *
 * <p>Elements must be written in ascending tag order (PS3.5 7.1: "Data Elements in a Data Set shall be
 * ordered by increasing Data Element Tag Number"); the writer enforces it. Values are padded to even length
 * (PS3.5 7.1.1): UI with 0x00, text with a space, binary with 0x00.
 */
public final class DicomWriter {

    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";

    /** Fixed UID identifying this generator as the implementation that wrote the files (PS3.7 D.3.3.2). */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.177618426412357036587271939627263186771";
    static final String IMPLEMENTATION_VERSION_NAME = "FRAMECACHE_TEST";

    private static final int ITEM = 0xFFFEE000;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    private static final int UNDEFINED_LENGTH = 0xFFFFFFFF;

    /** VRs whose explicit encoding has 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
    private static final Set<String> LONG_LENGTH_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    private final boolean explicitVr;
    private final ByteArrayOutputStream out;
    private long lastTag = -1;

    DicomWriter(boolean explicitVr) {
        this(explicitVr, 1024);
    }

    DicomWriter(boolean explicitVr, int initialCapacity) {
        this.explicitVr = explicitVr;
        this.out = new ByteArrayOutputStream(initialCapacity);
    }

    /** Unique identifier: ASCII, padded with a trailing NUL (PS3.5 6.2, VR UI). */
    DicomWriter uid(int tag, String uid) {
        return element(tag, "UI", pad(uid.getBytes(StandardCharsets.US_ASCII), (byte) 0));
    }

    /** Any text VR (CS, LO, SH, PN, DA, TM, IS, DS, ...); several values are joined with a backslash. */
    DicomWriter text(int tag, String vr, String... values) {
        byte[] bytes = String.join("\\", values).getBytes(StandardCharsets.US_ASCII);
        return element(tag, vr, pad(bytes, (byte) ' '));
    }

    DicomWriter us(int tag, int value) {
        return element(tag, "US", new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    DicomWriter ul(int tag, long value) {
        byte[] v = new byte[4];
        putInt(v, 0, (int) value);
        return element(tag, "UL", v);
    }

    DicomWriter fl(int tag, float value) {
        byte[] v = new byte[4];
        putInt(v, 0, Float.floatToIntBits(value));
        return element(tag, "FL", v);
    }

    DicomWriter bytes(int tag, String vr, byte[] value) {
        return element(tag, vr, pad(value, (byte) 0));
    }

    /** A sequence with explicit lengths; each item is a data set written by its own writer of the same VR mode. */
    DicomWriter sequence(int tag, DicomWriter... items) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (DicomWriter item : items) {
            if (item.explicitVr != explicitVr) {
                throw new IllegalArgumentException("item VR encoding differs from its sequence");
            }
            byte[] itemBytes = item.toByteArray();
            byte[] header = new byte[8];
            putTag(header, 0, ITEM);
            putInt(header, 4, itemBytes.length);
            value.writeBytes(header);
            value.writeBytes(itemBytes);
        }
        return element(tag, "SQ", value.toByteArray());
    }

    /**
     * Encapsulated Pixel Data (PS3.5 A.4): undefined length, a Basic Offset Table item, one fragment per
     * frame, then a Sequence Delimitation Item. Fragments must already be of even length. Offsets in the
     * table are measured from the first byte of the first fragment's item tag (PS3.5 A.4, Table A.4-1).
     */
    DicomWriter encapsulatedPixelData(List<byte[]> fragments, boolean withBasicOffsetTable) {
        if (!explicitVr) {
            throw new IllegalStateException("encapsulated pixel data needs an explicit VR transfer syntax (PS3.5 A.4)");
        }
        byte[] offsetTable = new byte[withBasicOffsetTable ? 4 * fragments.size() : 0];
        long offset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            if (fragments.get(i).length % 2 != 0) {
                throw new IllegalArgumentException("fragment " + i + " has odd length");
            }
            if (withBasicOffsetTable) {
                putInt(offsetTable, 4 * i, (int) offset);
            }
            offset += 8 + fragments.get(i).length;
        }
        header(0x7FE00010, "OB", UNDEFINED_LENGTH);
        item(offsetTable);
        for (byte[] fragment : fragments) {
            item(fragment);
        }
        byte[] delimiter = new byte[8];
        putTag(delimiter, 0, SEQUENCE_DELIMITATION);
        out.writeBytes(delimiter);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /**
     * Wraps a data set into a DICOM Part 10 file (PS3.10 7.1): 128-byte preamble, "DICM", then the File Meta
     * Information (group 0002), always Explicit VR Little Endian, starting with its group length.
     */
    static byte[] part10File(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataSet) {
        byte[] meta = new DicomWriter(true)
                .bytes(0x00020001, "OB", new byte[] {0, 1}) // FileMetaInformationVersion
                .uid(0x00020002, sopClassUid) // MediaStorageSOPClassUID
                .uid(0x00020003, sopInstanceUid) // MediaStorageSOPInstanceUID
                .uid(0x00020010, transferSyntaxUid)
                .uid(0x00020012, IMPLEMENTATION_CLASS_UID)
                .text(0x00020013, "SH", IMPLEMENTATION_VERSION_NAME)
                .toByteArray();
        // (0002,0000) counts the bytes of the group that follow it (PS3.10 Table 7.1-1).
        byte[] groupLength = new DicomWriter(true).ul(0x00020000, meta.length).toByteArray();

        ByteArrayOutputStream file = new ByteArrayOutputStream(132 + groupLength.length + meta.length + dataSet.length);
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(groupLength);
        file.writeBytes(meta);
        file.writeBytes(dataSet);
        return file.toByteArray();
    }

    /** Pads to even length (PS3.5 7.1.1); returns the same array when already even. */
    public static byte[] pad(byte[] value, byte padding) {
        if (value.length % 2 == 0) {
            return value;
        }
        byte[] padded = Arrays.copyOf(value, value.length + 1);
        padded[value.length] = padding;
        return padded;
    }

    private DicomWriter element(int tag, String vr, byte[] value) {
        header(tag, vr, value.length);
        out.writeBytes(value);
        return this;
    }

    private void header(int tag, String vr, int length) {
        long unsignedTag = Integer.toUnsignedLong(tag);
        if (unsignedTag <= lastTag) {
            throw new IllegalStateException(String.format(
                    "tag (%04X,%04X) written out of ascending order", tag >>> 16, tag & 0xFFFF));
        }
        lastTag = unsignedTag;

        byte[] h;
        if (!explicitVr) {
            // PS3.5 7.1.3: tag, 32-bit length, no VR.
            h = new byte[8];
            putInt(h, 4, length);
        } else if (LONG_LENGTH_VRS.contains(vr)) {
            // PS3.5 7.1.2: tag, VR, 2 reserved bytes, 32-bit length.
            h = new byte[12];
            h[4] = (byte) vr.charAt(0);
            h[5] = (byte) vr.charAt(1);
            putInt(h, 8, length);
        } else {
            // PS3.5 7.1.2: tag, VR, 16-bit length.
            if (length > 0xFFFF) {
                throw new IllegalArgumentException(vr + " value too long: " + length);
            }
            h = new byte[8];
            h[4] = (byte) vr.charAt(0);
            h[5] = (byte) vr.charAt(1);
            h[6] = (byte) length;
            h[7] = (byte) (length >>> 8);
        }
        putTag(h, 0, tag);
        out.writeBytes(h);
    }

    private void item(byte[] value) {
        byte[] h = new byte[8];
        putTag(h, 0, ITEM);
        putInt(h, 4, value.length);
        out.writeBytes(h);
        out.writeBytes(value);
    }

    /** A tag is written as two little-endian 16-bit numbers: group, then element (PS3.5 7.1). */
    private static void putTag(byte[] b, int at, int tag) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        b[at] = (byte) group;
        b[at + 1] = (byte) (group >>> 8);
        b[at + 2] = (byte) element;
        b[at + 3] = (byte) (element >>> 8);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
