package org.framecache.proxy.dicom;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The value representations of PS3.5 Table 6.2-1, each spelled by one String instance, so that a VR read from a
 * header can be compared with == where it matters ({@link #isKnown}), and which of them have a 32-bit length in
 * explicit VR.
 */
final class ValueRepresentations {
    /** PS3.5 Table 6.2-1, keyed by the two bytes as read (the first in the low byte). */
    private static final Map<Integer, String> VRS = new HashMap<>();
    /** PS3.5 Table 7.1-1: VRs with 2 reserved bytes and a 32-bit length in explicit VR. */
    private static final Set<String> LONG_LENGTH_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    static {
        for (String vr : List.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD",
                "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR",
                "US", "UT", "UV")) {
            VRS.put(code(vr), vr);
        }
    }

    private ValueRepresentations() {
    }

    /** The VR whose two bytes, read as a little-endian 16-bit number, are {@code code}; null if not in the table. */
    static String of(int code) {
        return VRS.get(code);
    }

    /** True for the VRs of PS3.5 Table 6.2-1 as {@link #of} hands them out. */
    static boolean isKnown(String vr) {
        return vr != null && vr.length() == 2 && VRS.get(code(vr)) == vr;
    }

    /** True when an explicit VR header of this VR has 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
    static boolean hasLongLength(String vr) {
        return LONG_LENGTH_VRS.contains(vr);
    }

    private static int code(String vr) {
        return vr.charAt(0) | vr.charAt(1) << 8;
    }
}
