package org.framecache.proxy.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Specific Character Set (0008,0005): which charset decodes which text values. It applies to the data set it is in
 * and the items nested in it (PS3.5 7.5.3), and only to some VRs (PS3.5 6.1.2.3).
 */
final class SpecificCharacterSet {
    /** PS3.5 6.1.2.3: the VRs whose values Specific Character Set applies to. */
    private static final Set<String> CHARACTER_SET_VRS = Set.of("SH", "LO", "ST", "LT", "UC", "UT", "PN");

    /** Before any Specific Character Set: the default repertoire, read as {@link #of} explains. */
    static final Charset DEFAULT = StandardCharsets.ISO_8859_1;

    private SpecificCharacterSet() {
    }

    /** The charset of a value of {@code vr} where the data set's character set is {@code current}. */
    static Charset forVr(String vr, Charset current) {
        return CHARACTER_SET_VRS.contains(vr) ? current : StandardCharsets.ISO_8859_1;
    }

    /**
     * The character set of the text values that follow (PS3.3 C.12.1.1.2). Only the default repertoire, ISO_IR
     * 100 and ISO_IR 192 are really supported. Everything else (other single-byte sets, ISO 2022 code extensions,
     * GB18030, ...) is decoded as ISO-8859-1: ASCII comes out right and no byte is lost. The default repertoire
     * is decoded as ISO-8859-1 too: identical for ASCII, and files that put Latin-1 in without saying so (the
     * usual mistake) read as their authors meant, as Orthanc's default encoding (Latin1) reads them.
     */
    static Charset of(ObjectNode specificCharacterSet) {
        JsonNode values = specificCharacterSet.path("Value");
        String first = values.path(0).asText("");
        if (values.size() == 1 && first.equals("ISO_IR 192")) {
            return StandardCharsets.UTF_8;
        }
        return StandardCharsets.ISO_8859_1; // ISO_IR 6, ISO_IR 100, empty and the rest
    }
}
