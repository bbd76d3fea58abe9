package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.JsonAttributes.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/** Binary numbers (PS3.5 6.2: US, SS, UL, SL, FL, FD, SV, UV, AT) as the JSON Value array (PS3.18 F.2.3). */
final class NumberValues {
    private static final Set<String> NUMBER_VRS = Set.of("US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT");

    private NumberValues() {
    }

    /** Whether values of {@code vr} are binary numbers (else text). */
    static boolean isNumber(String vr) {
        return NUMBER_VRS.contains(vr);
    }

    /** The little-endian numbers of a non-empty value of attribute {@code tag}, whose length must fit the VR. */
    static ArrayNode of(String vr, byte[] value, int tag) throws DicomFormatException {
        int size = switch (vr) {
            case "US", "SS" -> 2;
            case "FD", "SV", "UV" -> 8;
            default -> 4;
        };
        if (value.length % size != 0) {
            throw new DicomFormatException("length " + value.length + " of " + vr + " value " + Tag.toString(tag)
                    + " is not a multiple of " + size);
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        ArrayNode values = NODES.arrayNode(value.length / size);
        while (b.hasRemaining()) {
            switch (vr) {
                case "US" -> values.add(Short.toUnsignedInt(b.getShort()));
                case "SS" -> values.add(b.getShort());
                case "UL" -> values.add(Integer.toUnsignedLong(b.getInt()));
                case "SL" -> values.add(b.getInt());
                case "FL" -> addFloatingPoint(values, b.getFloat());
                case "FD" -> addFloatingPoint(values, b.getDouble());
                case "SV" -> values.add(b.getLong());
                case "UV" -> {
                    long v = b.getLong();
                    values.add(v >= 0 ? NODES.numberNode(v) : NODES.numberNode(
                            BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(64))));
                }
                default -> { // AT: group and element (PS3.5 6.2), written as in the JSON keys (PS3.18 F.2.3)
                    int group = Short.toUnsignedInt(b.getShort());
                    values.add(Tag.key(group << 16 | Short.toUnsignedInt(b.getShort())));
                }
            }
        }
        return values;
    }

    /** JSON numbers cannot be NaN or infinite; those become the strings Java and JavaScript print for them. */
    private static void addFloatingPoint(ArrayNode values, double v) {
        if (Double.isFinite(v)) {
            values.add(v);
        } else {
            values.add(Double.toString(v));
        }
    }

    private static void addFloatingPoint(ArrayNode values, float v) {
        if (Float.isFinite(v)) {
            values.add(v); // a float node prints the shortest decimal of the float (0.001, not 0.0010000000474974513)
        } else {
            values.add(Float.toString(v));
        }
    }
}
