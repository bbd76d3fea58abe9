package org.framecache.proxy.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.http.QueryString;

/**
 * A QIDO-RS query string (PS3.18 §8.3.4): filters by tag ({@link SearchKeywords}), {@code limit}, {@code offset}
 * and {@code includefield} ("all" for every attribute). Representation parameters ({@code accept},
 * {@code charset}) are negotiated apart; {@code fuzzymatching} is ignored (allowed: PS3.18 §8.3.4.6).
 */
final class SearchQuery {
    static final int MAX_LIMIT = 100_000;

    /** Tag → filter; an empty filter asks for the attribute without narrowing the search. */
    final Map<String, String> filters = new LinkedHashMap<>();
    int limit = MAX_LIMIT;
    int offset;
    boolean includeAll;

    static SearchQuery parse(String queryString) {
        SearchQuery query = new SearchQuery();
        for (Map.Entry<String, String> pair : QueryString.pairs(queryString)) {
            String key = pair.getKey();
            String value = pair.getValue();
            switch (key) {
                case "limit" -> query.limit = number(key, value);
                case "offset" -> query.offset = number(key, value);
                case "includefield" -> query.includeAll |= split(value).contains("all");
                case "fuzzymatching", "accept", "charset" -> {
                    // no fuzzy matching here (allowed: PS3.18 §8.3.4.6); representation is negotiated apart
                }
                default -> query.filters.put(SearchKeywords.tag(key), value);
            }
        }
        return query;
    }

    private static int number(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return Math.min(n, MAX_LIMIT);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProxyException.badRequest(key + " must be a number from 0");
    }

    /** Whether a candidate result passes every non-empty filter ({@link AttributeMatcher}). */
    boolean matches(ObjectNode candidate) {
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            if (!filter.getValue().isEmpty()
                    && !AttributeMatcher.matches(candidate.get(filter.getKey()), filter.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The non-blank items of a comma-separated list, stripped. */
    static List<String> split(String commaSeparated) {
        List<String> values = new ArrayList<>();
        for (String v : commaSeparated.split(",")) {
            if (!v.isBlank()) {
                values.add(v.strip());
            }
        }
        return values;
    }
}
