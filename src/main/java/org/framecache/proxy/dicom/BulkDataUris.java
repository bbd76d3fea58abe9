package org.framecache.proxy.dicom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * PS3.18 F.2.6: a value left out of the JSON is named by a BulkDataURI, only at the top level, where the
 * instance's bulk data prefix plus the tag names it; without a prefix there are none.
 */
final class BulkDataUris {
    /** PS3.18 F.2.2: the VRs a BulkDataURI may stand for. */
    private static final Set<String> BULK_DATA_VRS = Set.of("DS", "FL", "FD", "IS", "LT", "OB", "OD", "OF", "OL",
            "OV", "OW", "SL", "SS", "ST", "SV", "UC", "UL", "UN", "US", "UT", "UV");

    private final String prefix;

    /** @param prefix e.g. {@code .../instances/{uid}/bulkdata/}, or null for no BulkDataURIs */
    BulkDataUris(String prefix) {
        this.prefix = prefix;
    }

    /** The attribute of a value left out, or null when it is left out without a trace. */
    ObjectNode attribute(int tag, String vr, boolean topLevel) {
        if (!topLevel || prefix == null || !BULK_DATA_VRS.contains(vr)) {
            return null;
        }
        ObjectNode attribute = JsonAttributes.attribute(vr);
        attribute.put("BulkDataURI", prefix + Tag.key(tag));
        return attribute;
    }
}
