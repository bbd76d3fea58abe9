package org.framecache.proxy.dicom;

import java.io.IOException;

/**
 * A data element header (PS3.5 7.1): its tag, its VR (null when the encoding has none) and its value length, which
 * may be {@link #UNDEFINED_LENGTH}.
 */
record ElementHeader(int tag, String vr, long length) {
    /** A value length of 0xFFFFFFFF (PS3.5 7.1.1). */
    static final long UNDEFINED_LENGTH = -1;

    /**
     * Reads an element header (PS3.5 7.1.2 explicit, 7.1.3 implicit). Items and delimiters (group FFFE) never
     * carry a VR (PS3.5 7.5). An explicit VR must be two upper-case letters; a VR of PS3.5 Table 6.2-1 comes back
     * as the one string for it, any other as a new one ({@link ValueRepresentations#isKnown}).
     */
    static ElementHeader read(DicomStream in, boolean explicitVr) throws IOException {
        int group = in.readUInt16("element header");
        int tag = group << 16 | in.readUInt16("element header");
        if (group == Tag.ITEM_GROUP || !explicitVr) {
            return new ElementHeader(tag, null, length(in.readInt32("element header")));
        }
        int code = in.readUInt16("element header");
        String vr = ValueRepresentations.of(code);
        if (vr == null) {
            char first = (char) (code & 0xFF);
            char second = (char) (code >>> 8);
            if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z') {
                throw new DicomFormatException(String.format("invalid VR %02X%02X at %s", code & 0xFF, code >>> 8,
                        Tag.toString(tag)));
            }
            vr = new String(new char[] {first, second});
        }
        if (ValueRepresentations.hasLongLength(vr)) {
            in.readUInt16("element header"); // reserved
            return new ElementHeader(tag, vr, length(in.readInt32("element header")));
        }
        return new ElementHeader(tag, vr, in.readUInt16("element header"));
    }

    /**
     * Reads an item or delimiter header (PS3.5 7.5): tag and 32-bit length, never a VR; {@code what} names the
     * place in a truncation message.
     */
    static ElementHeader readItem(DicomStream in, String what) throws IOException {
        int group = in.readUInt16(what);
        int element = in.readUInt16(what);
        return new ElementHeader(group << 16 | element, null, length(in.readInt32(what)));
    }

    /** A 32-bit value length as read: 0xFFFFFFFF is {@link #UNDEFINED_LENGTH}. */
    static long length(int raw) {
        return raw == -1 ? UNDEFINED_LENGTH : Integer.toUnsignedLong(raw);
    }
}
