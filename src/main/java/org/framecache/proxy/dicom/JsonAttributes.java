package org.framecache.proxy.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shapes of the DICOM JSON Model (PS3.18 F.2): an attribute object, a sequence, a data set in tag order. */
final class JsonAttributes {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonAttributes() {
    }

    /** An attribute object with its {@code vr} and nothing else yet. */
    static ObjectNode attribute(String vr) {
        ObjectNode attribute = NODES.objectNode();
        attribute.put("vr", vr);
        return attribute;
    }

    /** A sequence attribute: its items as Value, none when empty (PS3.18 F.2.5). */
    static ObjectNode sequence(ArrayNode items) {
        ObjectNode attribute = attribute("SQ");
        if (!items.isEmpty()) {
            attribute.set("Value", items);
        }
        return attribute;
    }

    /** Puts the attributes of a data set in ascending tag order (PS3.18 F.2.2), as their keys sort. */
    static void sortByTag(ObjectNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        fields.addAll(node.properties());
        fields.sort(Map.Entry.comparingByKey());
        node.removeAll();
        fields.forEach(f -> node.set(f.getKey(), f.getValue()));
    }
}
