package org.framecache.proxy.local;

import com.fasterxml.jackson.databind.JsonNode;

/** The first value of an attribute in an instance's DICOM JSON (PS3.18 §F.2), keyed by its tag as 8 hex digits. */
final class MetadataValues {

    private MetadataValues() {
    }

    /** As text, or null when the attribute or its value is absent. */
    static String firstText(JsonNode metadata, String tag) {
        JsonNode value = metadata.path(tag).path("Value").path(0);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** As a number, 0 when absent. */
    static int firstInt(JsonNode metadata, String tag) {
        return metadata.path(tag).path("Value").path(0).asInt(0);
    }
}
