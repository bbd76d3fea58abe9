package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;
import static org.framecache.proxy.dicom.JsonAttributes.NODES;
import static org.framecache.proxy.dicom.JsonAttributes.attribute;
import static org.framecache.proxy.dicom.JsonAttributes.sequence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Base64;
import java.util.Set;

/**
 * One recursive walk over a data set (PS3.5 7: data sets, elements, sequences), building its DICOM JSON as it goes:
 * the top level up to its end or its Pixel Data, every nested item whole. What it may buffer is bounded by a
 * {@link ReadBudget}.
 */
final class DataSetToJson {
    /** PS3.18 F.2.7: the VRs whose value is InlineBinary. */
    private static final Set<String> BINARY_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");

    private final DicomStream in;
    private final BulkDataUris bulkData;
    private final ReadBudget budget;

    DataSetToJson(DicomStream in, BulkDataUris bulkData, ReadBudget budget) {
        this.in = in;
        this.bulkData = bulkData;
        this.budget = budget;
    }

    /** The top-level data set, in Implicit VR when {@code implicitVr}, up to the end of the stream or Pixel Data. */
    ObjectNode readTopLevel(boolean implicitVr) throws IOException {
        ObjectNode dataSet = NODES.objectNode();
        readDataSet(dataSet, implicitVr, UNDEFINED_LENGTH, 0, SpecificCharacterSet.DEFAULT, true);
        return dataSet;
    }

    /**
     * Reads data elements into {@code target}: the top-level data set up to the end of the stream or its Pixel
     * Data, an item of defined length up to stream position {@code end}, one of undefined length up to its Item
     * Delimitation Item (PS3.5 7.5.2). Specific Character Set applies to the data set it is in and the items
     * nested in it (PS3.5 7.5.3), hence {@code charset} is passed down and may change along the way.
     */
    private void readDataSet(ObjectNode target, boolean implicit, long end, int depth, Charset charset,
                             boolean topLevel) throws IOException {
        long lastTag = -1;
        boolean ascending = true;
        while (true) {
            if (topLevel) {
                if (in.atEnd()) {
                    break;
                }
            } else if (end != UNDEFINED_LENGTH) {
                if (in.position() == end) {
                    break;
                }
                if (in.position() > end) {
                    throw new DicomFormatException("data element crosses the end of its item at byte " + end);
                }
            }
            ElementHeader h = readHeader(!implicit);
            if (h.tag() == Tag.ItemDelimitationItem && !topLevel && end == UNDEFINED_LENGTH) {
                break;
            }
            if (Tag.isItemOrDelimiter(h.tag())) {
                throw new DicomFormatException("unexpected " + Tag.toString(h.tag()) + " in a data set");
            }
            if (topLevel && (h.tag() == Tag.PixelData || h.tag() == Tag.FloatPixelData
                    || h.tag() == Tag.DoubleFloatPixelData)) {
                // The frames are served by WADO-RS frames: nothing after this point belongs in the metadata.
                putPixelData(target, h);
                break;
            }
            ObjectNode attribute = readAttribute(h, implicit, depth, charset, topLevel);
            // Group Length (PS3.18 F.2.2) and File Meta Information elements are read (to keep in step) but not kept.
            if (attribute == null || Tag.isGroupLength(h.tag()) || Tag.isFileMetaInformation(h.tag())) {
                continue;
            }
            budget.countAttribute();
            long tag = Integer.toUnsignedLong(h.tag());
            ascending &= tag > lastTag;
            lastTag = tag;
            target.set(Tag.key(h.tag()), attribute);
            if (h.tag() == Tag.SpecificCharacterSet) {
                charset = SpecificCharacterSet.of(attribute);
            }
        }
        if (!ascending) {
            JsonAttributes.sortByTag(target); // PS3.18 F.2.2 wants ascending tags, whatever order the file had
        }
    }

    /** An element header whose VR, if any, is one of PS3.5 Table 6.2-1: the JSON model has a type for those only. */
    private ElementHeader readHeader(boolean explicitVr) throws IOException {
        ElementHeader h = ElementHeader.read(in, explicitVr);
        if (h.vr() != null && !ValueRepresentations.isKnown(h.vr())) {
            throw new DicomFormatException(String.format("invalid VR %02X%02X at %s", (int) h.vr().charAt(0),
                    (int) h.vr().charAt(1), Tag.toString(h.tag())));
        }
        return h;
    }

    /** One attribute as its JSON object, or null when it is left out. */
    private ObjectNode readAttribute(ElementHeader h, boolean implicit, int depth, Charset charset, boolean topLevel)
            throws IOException {
        String vr = h.vr() != null ? h.vr() : ImplicitVrDictionary.vrOf(h.tag());
        if (h.length() == UNDEFINED_LENGTH) {
            return readUndefinedLength(h, vr, implicit, depth, charset);
        }
        if (vr.equals("SQ")) {
            return sequence(readSequence(h.length(), implicit, depth + 1, charset));
        }
        if (topLevel && (h.tag() == Tag.ExtendedOffsetTable || h.tag() == Tag.ExtendedOffsetTableLengths)) {
            // Offsets into the Pixel Data we do not read: of no use inline (PS3.5 A.4, Table A.4-1).
            in.skip(h.length(), "value of " + Tag.toString(h.tag()));
            return bulkData.attribute(h.tag(), vr, topLevel);
        }
        boolean binary = BINARY_VRS.contains(vr);
        if (budget.tooLongToKeep(h.length(), binary)) {
            in.skip(h.length(), "value of " + Tag.toString(h.tag()));
            return bulkData.attribute(h.tag(), vr, topLevel);
        }
        budget.keep(h.length());
        byte[] value = in.readBytes((int) h.length(), "value of " + Tag.toString(h.tag()));
        ObjectNode attribute = attribute(vr);
        if (value.length == 0) {
            return attribute; // PS3.18 F.2.5: empty, so neither Value nor InlineBinary
        }
        if (binary) {
            attribute.put("InlineBinary", Base64.getEncoder().encodeToString(value));
            return attribute;
        }
        ArrayNode values = NumberValues.isNumber(vr) ? NumberValues.of(vr, value, h.tag())
                : TextValues.of(vr, new String(value, SpecificCharacterSet.forVr(vr, charset)));
        if (values != null) {
            attribute.set("Value", values);
        }
        return attribute;
    }

    /**
     * An element of undefined length (PS3.5 7.1.1): a sequence; an explicit VR UN holding a sequence in Implicit
     * VR Little Endian (PS3.5 6.2.2); or encapsulated pixel data below the top level, e.g. a compressed icon
     * (PS3.5 A.4), which is skipped and left out.
     */
    private ObjectNode readUndefinedLength(ElementHeader h, String vr, boolean implicit, int depth, Charset charset)
            throws IOException {
        if (vr.equals("SQ")) {
            return sequence(readSequence(UNDEFINED_LENGTH, implicit, depth + 1, charset));
        }
        if (vr.equals("UN")) {
            return sequence(readSequence(UNDEFINED_LENGTH, true, depth + 1, charset));
        }
        if (vr.equals("OB") || vr.equals("OW")) {
            skipFragments();
            return null;
        }
        if (implicit) {
            // Only sequences have undefined length in implicit VR: the dictionary has not heard of this one.
            return sequence(readSequence(UNDEFINED_LENGTH, true, depth + 1, charset));
        }
        throw new DicomFormatException("undefined length for VR " + vr + " at " + Tag.toString(h.tag()));
    }

    /** Items up to {@code length} bytes or, if undefined, the Sequence Delimitation Item (PS3.5 7.5). */
    private ArrayNode readSequence(long length, boolean implicit, int depth, Charset charset) throws IOException {
        budget.checkDepth(depth);
        ArrayNode items = NODES.arrayNode();
        long end = length == UNDEFINED_LENGTH ? UNDEFINED_LENGTH : in.position() + length;
        while (end == UNDEFINED_LENGTH || in.position() < end) {
            ElementHeader item = ElementHeader.readItem(in, "sequence");
            if (item.tag() == Tag.SequenceDelimitationItem && end == UNDEFINED_LENGTH) {
                return items;
            }
            if (item.tag() != Tag.Item) {
                throw new DicomFormatException("unexpected " + Tag.toString(item.tag()) + " in a sequence");
            }
            budget.countAttribute();
            ObjectNode content = NODES.objectNode();
            long itemEnd = item.length() == UNDEFINED_LENGTH ? UNDEFINED_LENGTH : in.position() + item.length();
            readDataSet(content, implicit, itemEnd, depth, charset, false);
            items.add(content);
        }
        if (in.position() > end) {
            throw new DicomFormatException("sequence item crosses the end of its sequence at byte " + end);
        }
        return items;
    }

    /** Fragment items up to the Sequence Delimitation Item (PS3.5 A.4), skipped. */
    private void skipFragments() throws IOException {
        while (true) {
            ElementHeader item = ElementHeader.readItem(in, "fragments");
            if (item.tag() == Tag.SequenceDelimitationItem) {
                return;
            }
            if (item.tag() != Tag.Item || item.length() == UNDEFINED_LENGTH) {
                throw new DicomFormatException("unexpected " + Tag.toString(item.tag()) + " in encapsulated pixel data");
            }
            in.skip(item.length(), "fragment");
        }
    }

    /**
     * Pixel Data is where reading stops: its header has been read, not a byte of its value. In implicit VR the
     * dictionary has its VR: OW, OF or OD (PS3.5 A.1: OW whatever Bits Allocated says).
     */
    private void putPixelData(ObjectNode target, ElementHeader h) throws DicomFormatException {
        String vr = h.vr() != null ? h.vr() : ImplicitVrDictionary.vrOf(h.tag());
        ObjectNode attribute = h.length() == 0 ? attribute(vr) : bulkData.attribute(h.tag(), vr, true);
        if (attribute != null) {
            budget.countAttribute();
            target.set(Tag.key(h.tag()), attribute);
        }
    }
}
