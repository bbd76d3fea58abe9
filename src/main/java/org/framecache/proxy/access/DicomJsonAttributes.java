package org.framecache.proxy.access;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Reads one attribute of a DICOM JSON data set (PS3.18 F.2) as it streams by, the parser at its object. */
final class DicomJsonAttributes {
    private DicomJsonAttributes() {
    }

    /** An attribute's InlineBinary (into [0]) or BulkDataURI (into [1]), the parser at its object. */
    static void bulkOrInline(JsonParser json, String[] into) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if ("InlineBinary".equals(field) && json.currentToken() == JsonToken.VALUE_STRING) {
                into[0] = json.getText();
            } else if ("BulkDataURI".equals(field) && json.currentToken() == JsonToken.VALUE_STRING) {
                into[1] = json.getText();
            } else {
                json.skipChildren();
            }
        }
    }

    /**
     * Attribute {@code tag} of a sequence's first item, as {@link #bulkOrInline} reads it (the parser at the sequence
     * attribute's object).
     */
    static void firstItemBulkOrInline(JsonParser json, String tag, String[] into) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if ("Value".equals(field) && json.currentToken() == JsonToken.START_ARRAY) {
                boolean first = true;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String itemTag = json.currentName();
                        json.nextToken();
                        if (first && tag.equals(itemTag)) {
                            bulkOrInline(json, into);
                        } else {
                            json.skipChildren();
                        }
                    }
                    first = false;
                }
            } else {
                json.skipChildren();
            }
        }
    }

    /** The first of an attribute's values (the parser at its object); null when it has none. */
    static String firstValue(JsonParser json) throws IOException {
        String first = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if (first == null && "Value".equals(field) && json.currentToken() == JsonToken.START_ARRAY
                    && json.nextToken() != JsonToken.END_ARRAY) {
                first = json.getValueAsString();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    json.skipChildren();
                }
                continue;
            }
            json.skipChildren();
        }
        return first;
    }
}
