package org.framecache.proxy.local;

import static org.framecache.proxy.dicom.Tag.key;
import static org.framecache.proxy.dicom.Tag.keys;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.http.ProxyException;

/**
 * QIDO-RS over a {@link DicomFolder} (PS3.18 §10.6): studies, series and instances, filtered by attribute
 * (keyword or tag: exact value, '*' and '?' wildcards, comma-separated UID lists, date and time ranges),
 * {@code limit}, {@code offset} and {@code includefield} ("all" for every attribute of the level's first
 * instance). Answers carry the attributes PS3.18 Table 10.6.3-3 requires for the level, as the files hold them,
 * plus the counts the store computes (number of related series and instances, modalities in study).
 */
public final class LocalSearch {
    public enum Level { STUDY, SERIES, INSTANCE }

    /** Keywords a query may use instead of tags. */
    private static final Map<String, String> KEYWORDS = Map.ofEntries(
            Map.entry("StudyInstanceUID", key(Tag.StudyInstanceUID)),
            Map.entry("SeriesInstanceUID", key(Tag.SeriesInstanceUID)),
            Map.entry("SOPInstanceUID", key(Tag.SOPInstanceUID)), Map.entry("SOPClassUID", key(Tag.SOPClassUID)),
            Map.entry("Modality", key(Tag.Modality)), Map.entry("ModalitiesInStudy", key(Tag.ModalitiesInStudy)),
            Map.entry("PatientID", key(Tag.PatientID)), Map.entry("PatientName", key(Tag.PatientName)),
            Map.entry("AccessionNumber", key(Tag.AccessionNumber)), Map.entry("StudyDate", key(Tag.StudyDate)),
            Map.entry("StudyTime", key(Tag.StudyTime)), Map.entry("StudyID", key(Tag.StudyID)),
            Map.entry("StudyDescription", key(Tag.StudyDescription)),
            Map.entry("SeriesDescription", key(Tag.SeriesDescription)),
            Map.entry("SeriesNumber", key(Tag.SeriesNumber)), Map.entry("InstanceNumber", key(Tag.InstanceNumber)),
            Map.entry("ReferringPhysicianName", key(Tag.ReferringPhysicianName)),
            Map.entry("PatientBirthDate", key(Tag.PatientBirthDate)), Map.entry("PatientSex", key(Tag.PatientSex)),
            Map.entry("NumberOfFrames", key(Tag.NumberOfFrames)), Map.entry("Rows", key(Tag.Rows)),
            Map.entry("Columns", key(Tag.Columns)));

    private static final List<String> STUDY_ATTRIBUTES = keys(Tag.SpecificCharacterSet, Tag.StudyDate, Tag.StudyTime,
            Tag.AccessionNumber, Tag.ReferringPhysicianName, Tag.StudyDescription, Tag.PatientName, Tag.PatientID,
            Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID);
    private static final List<String> SERIES_ATTRIBUTES = keys(Tag.SpecificCharacterSet, Tag.Modality,
            Tag.SeriesDescription, Tag.SeriesInstanceUID, Tag.SeriesNumber, Tag.PerformedProcedureStepStartDate,
            Tag.PerformedProcedureStepStartTime);
    private static final List<String> INSTANCE_ATTRIBUTES = keys(Tag.SpecificCharacterSet, Tag.SOPClassUID,
            Tag.SOPInstanceUID, Tag.InstanceNumber, Tag.NumberOfFrames, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
            Tag.StudyInstanceUID, Tag.SeriesInstanceUID);
    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{8}");
    private static final int MAX_LIMIT = 100_000;

    private final DicomFolder folder;

    public LocalSearch(DicomFolder folder) {
        this.folder = folder;
    }

    public void studies(Exchange exchange) {
        search(exchange, Level.STUDY);
    }

    public void series(Exchange exchange) {
        search(exchange, Level.SERIES);
    }

    public void instances(Exchange exchange) {
        search(exchange, Level.INSTANCE);
    }

    private void search(Exchange exchange, Level level) {
        if (!LocalRetrieve.acceptsJson(exchange)) {
            throw ProxyException.notAcceptable("search results are offered as application/dicom+json");
        }
        Query query = Query.parse(exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class));
        // path parameters narrow the search like filters on the UIDs (PS3.18 §10.6.1.2)
        String study = exchange.getIn().getHeader("study", String.class);
        String series = exchange.getIn().getHeader("series", String.class);
        if (study != null) {
            query.filters.put(key(Tag.StudyInstanceUID), study);
        }
        if (series != null) {
            query.filters.put(key(Tag.SeriesInstanceUID), series);
        }
        ArrayNode results = LocalRetrieve.JSON.createArrayNode();
        int skipped = 0;
        for (ObjectNode candidate : candidates(level, query.includeAll)) {
            if (!query.matches(candidate)) {
                continue;
            }
            if (skipped++ < query.offset) {
                continue;
            }
            if (results.size() == query.limit) {
                break;
            }
            results.add(candidate);
        }
        try {
            LocalRetrieve.respond(exchange, "application/dicom+json",
                    ByteBuffer.wrap(LocalRetrieve.JSON.writeValueAsBytes(results)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One result object per study, series or instance, built from the files' attributes. */
    private List<ObjectNode> candidates(Level level, boolean includeAll) {
        List<ObjectNode> results = new ArrayList<>();
        for (var study : folder.studies().entrySet()) {
            List<DicomFolder.Instance> ofStudy = new ArrayList<>();
            Set<String> modalities = new TreeSet<>();
            for (var series : study.getValue().values()) {
                ofStudy.addAll(series.values());
                series.values().forEach(i -> addText(modalities, i.metadata(), key(Tag.Modality)));
            }
            DicomFolder.Instance first = ofStudy.get(0);
            if (level == Level.STUDY) {
                ObjectNode result = pick(first.metadata(), STUDY_ATTRIBUTES, includeAll);
                result.set(key(Tag.ModalitiesInStudy), strings("CS", modalities));
                result.set(key(Tag.NumberOfStudyRelatedSeries), number(study.getValue().size()));
                result.set(key(Tag.NumberOfStudyRelatedInstances), number(ofStudy.size()));
                results.add(result);
                continue;
            }
            for (var series : study.getValue().values()) {
                List<DicomFolder.Instance> ofSeries = List.copyOf(series.values());
                if (level == Level.SERIES) {
                    ObjectNode result = pick(ofSeries.get(0).metadata(), STUDY_ATTRIBUTES, false);
                    result.setAll(pick(ofSeries.get(0).metadata(), SERIES_ATTRIBUTES, includeAll));
                    result.set(key(Tag.NumberOfSeriesRelatedInstances), number(ofSeries.size()));
                    results.add(result);
                    continue;
                }
                for (DicomFolder.Instance instance : ofSeries) {
                    ObjectNode result = pick(instance.metadata(), STUDY_ATTRIBUTES, false);
                    result.setAll(pick(instance.metadata(), SERIES_ATTRIBUTES, false));
                    result.setAll(pick(instance.metadata(), INSTANCE_ATTRIBUTES, includeAll));
                    results.add(result);
                }
            }
        }
        return results;
    }

    private static ObjectNode pick(ObjectNode metadata, List<String> tags, boolean all) {
        if (all) {
            return metadata.deepCopy();
        }
        ObjectNode result = LocalRetrieve.JSON.createObjectNode();
        for (String tag : tags) {
            JsonNode value = metadata.get(tag);
            if (value != null) {
                result.set(tag, value);
            }
        }
        return result;
    }

    private static void addText(Set<String> into, JsonNode metadata, String tag) {
        String text = LocalRetrieve.firstText(metadata, tag);
        if (text != null && !text.isEmpty()) {
            into.add(text);
        }
    }

    private static ObjectNode strings(String vr, Set<String> values) {
        ObjectNode node = LocalRetrieve.JSON.createObjectNode().put("vr", vr);
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray("Value");
            values.forEach(array::add);
        }
        return node;
    }

    private static ObjectNode number(int value) {
        ObjectNode node = LocalRetrieve.JSON.createObjectNode().put("vr", "IS");
        node.putArray("Value").add(value);
        return node;
    }

    /** The query string: filters by tag, paging, includefield. */
    static final class Query {
        final Map<String, String> filters = new LinkedHashMap<>();
        int limit = MAX_LIMIT;
        int offset;
        boolean includeAll;

        static Query parse(String queryString) {
            Query query = new Query();
            if (queryString == null || queryString.isEmpty()) {
                return query;
            }
            for (String pair : queryString.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "limit" -> query.limit = number(key, value);
                    case "offset" -> query.offset = number(key, value);
                    case "includefield" -> query.includeAll |= LocalRetrieve.split(value).contains("all");
                    case "fuzzymatching", "accept", "charset" -> {
                        // no fuzzy matching here (allowed: PS3.18 §8.3.4.6); representation is negotiated apart
                    }
                    default -> query.filters.put(tag(key), value);
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

        private static String tag(String key) {
            if (TAG.matcher(key).matches()) {
                return key.toUpperCase();
            }
            String tag = KEYWORDS.get(key);
            if (tag == null) {
                throw ProxyException.badRequest("unknown search attribute \"" + key + "\"");
            }
            return tag;
        }

        boolean matches(ObjectNode candidate) {
            for (Map.Entry<String, String> filter : filters.entrySet()) {
                if (!filter.getValue().isEmpty() && !matches(candidate.get(filter.getKey()), filter.getValue())) {
                    return false;
                }
            }
            return true;
        }

        /** PS3.4 C.2.2.2: single value (with wildcards), UID list, range; an absent attribute matches nothing. */
        private static boolean matches(JsonNode attribute, String filter) {
            if (attribute == null) {
                return false;
            }
            String vr = attribute.path("vr").asText();
            Set<String> values = new LinkedHashSet<>();
            for (JsonNode value : attribute.path("Value")) {
                values.add(value.isObject() ? value.path("Alphabetic").asText() : value.asText());
            }
            if (vr.equals("UI")) {
                return LocalRetrieve.split(filter.replace('\\', ',')).stream().anyMatch(values::contains);
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
}
