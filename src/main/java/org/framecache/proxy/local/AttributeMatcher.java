package org.framecache.proxy.local;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether a DICOM JSON attribute matches a search filter (PS3.4 C.2.2.2): a single value with '*' and '?'
 * wildcards (case-insensitive for person names), a list of UIDs, or a date or time range; an absent attribute
 * matches nothing. No fuzzy matching (allowed: PS3.18 §8.3.4.6).
 */
final class AttributeMatcher {

    private AttributeMatcher() {
    }

    static boolean matches(JsonNode attribute, String filter) {
        if (attribute == null) {
            return false;
        }
        String vr = attribute.path("vr").asText();
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode value : attribute.path("Value")) {
            values.add(value.isObject() ? value.path("Alphabetic").asText() : value.asText());
        }
        if (vr.equals("UI")) {
            return SearchQuery.split(filter.replace('\\', ',')).stream().anyMatch(values::contains);
        }
        if ((vr.equals("DA") || vr.equals("TM") || vr.equals("DT")) && filter.contains("-")) {
            int dash = filter.indexOf('-');
            String from = filter.substring(0, dash);
            String to = filter.substring(dash + 1);
            return values.stream().anyMatch(v -> (from.isEmpty() || v.compareTo(from) >= 0)
                    && (to.isEmpty() || v.compareTo(to) <= 0));
        }
        Pattern pattern = wildcard(filter, vr.equals("PN"));
        return values.stream().anyMatch(v -> pattern.matcher(v).matches());
    }

    private static Pattern wildcard(String filter, boolean caseInsensitive) {
        StringBuilder regex = new StringBuilder();
        for (char c : filter.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
    }
}
