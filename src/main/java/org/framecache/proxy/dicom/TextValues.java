package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.JsonAttributes.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Text values (PS3.5 6.2) as the JSON Value array (PS3.18 F.2.3, F.2.4): split at backslashes unless single-valued
 * (PS3.5 6.4), padding trimmed. Empty values among several are null (PS3.18 F.2.5). IS and DS become JSON numbers;
 * one that does not parse stays a string, which PS3.18 Table F.2.3-1 allows for them. PN becomes its component
 * groups.
 */
final class TextValues {
    /** PS3.5 6.4: single-valued text, where a backslash is a character, not a delimiter. */
    private static final Set<String> SINGLE_VALUED_TEXT = Set.of("LT", "ST", "UT", "UR");
    /** PS3.5 6.2: text whose leading spaces are significant (only trailing ones are padding). */
    private static final Set<String> LEADING_SPACES_KEPT = Set.of("LT", "ST", "UT", "UR", "UC");
    private static final String[] NAME_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};

    private TextValues() {
    }

    /** The Value array of a decoded text value of {@code vr}, or null when it holds nothing but padding. */
    static ArrayNode of(String vr, String text) {
        boolean keepLeading = LEADING_SPACES_KEPT.contains(vr);
        if (trim(text, keepLeading).isEmpty()) {
            return null;
        }
        String[] parts = SINGLE_VALUED_TEXT.contains(vr) ? new String[] {text} : text.split("\\\\", -1);
        ArrayNode values = NODES.arrayNode(parts.length);
        for (String part : parts) {
            String v = trim(part, keepLeading);
            if (v.isEmpty()) {
                values.addNull();
                continue;
            }
            switch (vr) {
                case "IS" -> values.add(integerString(v));
                case "DS" -> values.add(decimalString(v));
                case "PN" -> values.add(personName(v));
                default -> values.add(v);
            }
        }
        return values;
    }

    private static JsonNode integerString(String v) {
        try {
            return NODES.numberNode(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return NODES.textNode(v);
        }
    }

    private static JsonNode decimalString(String v) {
        try {
            // DecimalNode keeps the number as written; JsonNodeFactory would strip zeros (100 -> 1E+2).
            return DecimalNode.valueOf(new BigDecimal(v));
        } catch (NumberFormatException e) {
            return NODES.textNode(v);
        }
    }

    /** PS3.18 F.2.2: the non-empty component groups of a name (PS3.5 6.2.1), which '=' separates. */
    private static JsonNode personName(String v) {
        String[] groups = v.split("=", -1);
        ObjectNode name = NODES.objectNode();
        for (int i = 0; i < Math.min(groups.length, NAME_GROUPS.length); i++) {
            String group = trim(groups[i], false);
            if (!group.isEmpty()) {
                name.put(NAME_GROUPS[i], group);
            }
        }
        return name.isEmpty() ? NODES.nullNode() : name;
    }

    /** Without trailing spaces and NULs (PS3.5 6.2 padding) and, unless kept, leading spaces. */
    private static String trim(String s, boolean keepLeading) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        int start = 0;
        while (!keepLeading && start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }
}
