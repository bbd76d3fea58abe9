package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;
import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;
import static org.framecache.proxy.dicom.ElementHeader.length;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the data set of a DICOM Part 10 file (PS3.10 7.1) as the DICOM JSON Model (PS3.18 F.2), in one
 * front-to-back pass that stops at the top-level Pixel Data: what WADO-RS metadata and QIDO-RS answer with.
 *
 * <p>Supported: Explicit VR Little Endian, Implicit VR Little Endian (VRs from a small dictionary of the
 * attributes viewers use, {@code UN} for the rest) and the encapsulated syntaxes, whose data set is explicit VR
 * little endian (PS3.5 A.4). Deflated data sets and Explicit VR Big Endian are refused.
 *
 * <p>What the JSON holds beyond a plain transcription of the data set:
 * <ul>
 *   <li>no File Meta Information (group 0002) and no Group Length (gggg,0000) attributes (PS3.18 F.2.2);</li>
 *   <li>AvailableTransferSyntaxUID (0008,3002) with the file's transfer syntax, unless the data set has it,
 *       as cloud DICOMweb stores do;</li>
 *   <li>Pixel Data (7FE0,0008/0009/0010) and the Extended Offset Table (7FE0,0001/0002) are never read. With
 *       a {@code bulkDataUriPrefix} they appear as {@code BulkDataURI} = prefix + the 8-digit tag, otherwise
 *       not at all;</li>
 *   <li>binary values up to 64 KiB are {@code InlineBinary}, larger ones (and text or numbers over 1 MiB) a
 *       {@code BulkDataURI} at the top level, left out inside sequences (they have no address there).</li>
 * </ul>
 */
public final class DicomJsonReader {

    /**
     * What one read may buffer. Values over {@code maxInlineBinary} (binary VRs) or {@code maxValue} (the rest)
     * are skipped; passing {@code maxTotalBytes} of kept values, {@code maxAttributes} attributes and items, or
     * {@code maxDepth} nested sequences is a {@link DicomFormatException}.
     */
    record Limits(int maxInlineBinary, int maxValue, long maxTotalBytes, int maxAttributes, int maxDepth) {
        static final Limits DEFAULT = new Limits(64 * 1024, 1024 * 1024, 64L * 1024 * 1024, 1_000_000, 64);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** PS3.18 F.2.7: the VRs whose value is InlineBinary. */
    private static final Set<String> BINARY_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
    /** PS3.18 F.2.2: the VRs a BulkDataURI may stand for. */
    private static final Set<String> BULK_DATA_VRS = Set.of("DS", "FL", "FD", "IS", "LT", "OB", "OD", "OF", "OL",
            "OV", "OW", "SL", "SS", "ST", "SV", "UC", "UL", "UN", "US", "UT", "UV");
    /** PS3.5 6.4: single-valued text, where a backslash is a character, not a delimiter. */
    private static final Set<String> SINGLE_VALUED_TEXT = Set.of("LT", "ST", "UT", "UR");
    /** PS3.5 6.2: text whose leading spaces are significant (only trailing ones are padding). */
    private static final Set<String> LEADING_SPACES_KEPT = Set.of("LT", "ST", "UT", "UR", "UC");
    /** PS3.5 6.1.2.3: the VRs whose values Specific Character Set (0008,0005) applies to. */
    private static final Set<String> CHARACTER_SET_VRS = Set.of("SH", "LO", "ST", "LT", "UC", "UT", "PN");

    private final DicomStream in;
    private final String bulkDataUriPrefix;
    private final Limits limits;
    private boolean implicitVr;
    private long keptBytes;
    private int attributes;

    private DicomJsonReader(InputStream in, String bulkDataUriPrefix, Limits limits) {
        this.in = new DicomStream(in);
        this.bulkDataUriPrefix = bulkDataUriPrefix;
        this.limits = limits;
    }

    /**
     * Reads {@code in} (not closed) up to the top-level Pixel Data or the end, whichever comes first.
     *
     * @param bulkDataUriPrefix where the instance's bulk data lives, e.g. {@code .../instances/{uid}/bulkdata/};
     *                          a bulk value's URI is this plus its tag ({@code 7FE00010}). Null: no BulkDataURIs.
     * @throws DicomFormatException for malformed, truncated, unsupported or oversized input
     * @throws IOException          from the stream
     */
    public static ObjectNode read(InputStream in, String bulkDataUriPrefix) throws IOException {
        return read(in, bulkDataUriPrefix, Limits.DEFAULT);
    }

    static ObjectNode read(InputStream in, String bulkDataUriPrefix, Limits limits) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(limits, "limits");
        return new DicomJsonReader(in, bulkDataUriPrefix, limits).run();
    }

    private ObjectNode run() throws IOException {
        String transferSyntaxUid = FileMetaInformation.readTransferSyntax(in);
        implicitVr = IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        ObjectNode dataSet = NODES.objectNode();
        readDataSet(dataSet, implicitVr, UNDEFINED_LENGTH, 0, StandardCharsets.ISO_8859_1, true);
        if (!dataSet.has(Tag.key(Tag.AvailableTransferSyntaxUID))) {
            ObjectNode available = attribute("UI");
            available.putArray("Value").add(transferSyntaxUid);
            dataSet.set(Tag.key(Tag.AvailableTransferSyntaxUID), available);
            sortByTag(dataSet);
        }
        return dataSet;
    }

    // ---- PS3.10 7.1: preamble, prefix, File Meta Information ----

    // ---- PS3.5 7: data sets, elements, sequences ----

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
            if (topLevel && (h.tag() == Tag.PixelData || h.tag() == Tag.FloatPixelData || h.tag() == Tag.DoubleFloatPixelData)) {
                // The frames are served by WADO-RS frames: nothing after this point belongs in the metadata.
                putPixelData(target, h);
                break;
            }
            ObjectNode attribute = readAttribute(h, implicit, depth, charset, topLevel);
            // Group Length (PS3.18 F.2.2) and File Meta Information elements are read (to keep in step) but not kept.
            if (attribute == null || Tag.isGroupLength(h.tag()) || Tag.isFileMetaInformation(h.tag())) {
                continue;
            }
            countAttribute();
            long tag = Integer.toUnsignedLong(h.tag());
            ascending &= tag > lastTag;
            lastTag = tag;
            target.set(Tag.key(h.tag()), attribute);
            if (h.tag() == Tag.SpecificCharacterSet) {
                charset = charset(attribute);
            }
        }
        if (!ascending) {
            sortByTag(target); // PS3.18 F.2.2 wants ascending tags, whatever order the file had
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
            return bulkData(h.tag(), vr, topLevel);
        }
        boolean binary = BINARY_VRS.contains(vr);
        if (h.length() > (binary ? limits.maxInlineBinary() : limits.maxValue())) {
            in.skip(h.length(), "value of " + Tag.toString(h.tag()));
            return bulkData(h.tag(), vr, topLevel);
        }
        byte[] value = readValue(h);
        ObjectNode attribute = attribute(vr);
        if (value.length == 0) {
            return attribute; // PS3.18 F.2.5: empty, so neither Value nor InlineBinary
        }
        if (binary) {
            attribute.put("InlineBinary", Base64.getEncoder().encodeToString(value));
            return attribute;
        }
        ArrayNode values = values(vr, value, CHARACTER_SET_VRS.contains(vr) ? charset : StandardCharsets.ISO_8859_1,
                h.tag());
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
        if (depth > limits.maxDepth()) {
            throw new DicomFormatException("sequences nested deeper than " + limits.maxDepth());
        }
        ArrayNode items = NODES.arrayNode();
        long end = length == UNDEFINED_LENGTH ? UNDEFINED_LENGTH : in.position() + length;
        while (end == UNDEFINED_LENGTH || in.position() < end) {
            int tag = in.readUInt16("sequence") << 16 | in.readUInt16("sequence");
            long itemLength = length(in.readInt32("sequence"));
            if (tag == Tag.SequenceDelimitationItem && end == UNDEFINED_LENGTH) {
                return items;
            }
            if (tag != Tag.Item) {
                throw new DicomFormatException("unexpected " + Tag.toString(tag) + " in a sequence");
            }
            countAttribute();
            ObjectNode item = NODES.objectNode();
            long itemEnd = itemLength == UNDEFINED_LENGTH ? UNDEFINED_LENGTH : in.position() + itemLength;
            readDataSet(item, implicit, itemEnd, depth, charset, false);
            items.add(item);
        }
        if (in.position() > end) {
            throw new DicomFormatException("sequence item crosses the end of its sequence at byte " + end);
        }
        return items;
    }

    /** Fragment items up to the Sequence Delimitation Item (PS3.5 A.4), skipped. */
    private void skipFragments() throws IOException {
        while (true) {
            int tag = in.readUInt16("fragments") << 16 | in.readUInt16("fragments");
            long length = length(in.readInt32("fragments"));
            if (tag == Tag.SequenceDelimitationItem) {
                return;
            }
            if (tag != Tag.Item || length == UNDEFINED_LENGTH) {
                throw new DicomFormatException("unexpected " + Tag.toString(tag) + " in encapsulated pixel data");
            }
            in.skip(length, "fragment");
        }
    }

    /**
     * Pixel Data is where reading stops: its header has been read, not a byte of its value. In implicit VR the
     * dictionary has its VR: OW, OF or OD (PS3.5 A.1: OW whatever Bits Allocated says).
     */
    private void putPixelData(ObjectNode target, ElementHeader h) throws DicomFormatException {
        String vr = h.vr() != null ? h.vr() : ImplicitVrDictionary.vrOf(h.tag());
        ObjectNode attribute = h.length() == 0 ? attribute(vr) : bulkData(h.tag(), vr, true);
        if (attribute != null) {
            countAttribute();
            target.set(Tag.key(h.tag()), attribute);
        }
    }

    /** PS3.18 F.2.6: a BulkDataURI, only at the top level, where prefix + tag names the value. */
    private ObjectNode bulkData(int tag, String vr, boolean topLevel) {
        if (!topLevel || bulkDataUriPrefix == null || !BULK_DATA_VRS.contains(vr)) {
            return null;
        }
        ObjectNode attribute = attribute(vr);
        attribute.put("BulkDataURI", bulkDataUriPrefix + Tag.key(tag));
        return attribute;
    }

    private byte[] readValue(ElementHeader h) throws IOException {
        keptBytes += h.length();
        if (keptBytes > limits.maxTotalBytes()) {
            throw new DicomFormatException("data set values exceed " + limits.maxTotalBytes() + " bytes");
        }
        return in.readBytes((int) h.length(), "value of " + Tag.toString(h.tag()));
    }

    private void countAttribute() throws DicomFormatException {
        if (++attributes > limits.maxAttributes()) {
            throw new DicomFormatException("more than " + limits.maxAttributes() + " attributes and items");
        }
    }

    // ---- PS3.18 F.2.3, F.2.4: values ----

    /** The Value array of a non-empty value, or null when it holds nothing but padding. */
    private static ArrayNode values(String vr, byte[] value, Charset charset, int tag) throws DicomFormatException {
        return switch (vr) {
            case "US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT" -> numbers(vr, value, tag);
            default -> strings(vr, new String(value, charset));
        };
    }

    private static ArrayNode numbers(String vr, byte[] value, int tag) throws DicomFormatException {
        int size = switch (vr) {
            case "US", "SS" -> 2;
            case "FD", "SV", "UV" -> 8;
            default -> 4;
        };
        if (value.length % size != 0) {
            throw new DicomFormatException("length " + value.length + " of " + vr + " value " + Tag.toString(tag)
                    + " is not a multiple of " + size);
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        ArrayNode values = NODES.arrayNode(value.length / size);
        while (b.hasRemaining()) {
            switch (vr) {
                case "US" -> values.add(Short.toUnsignedInt(b.getShort()));
                case "SS" -> values.add(b.getShort());
                case "UL" -> values.add(Integer.toUnsignedLong(b.getInt()));
                case "SL" -> values.add(b.getInt());
                case "FL" -> addFloatingPoint(values, b.getFloat());
                case "FD" -> addFloatingPoint(values, b.getDouble());
                case "SV" -> values.add(b.getLong());
                case "UV" -> {
                    long v = b.getLong();
                    values.add(v >= 0 ? NODES.numberNode(v) : NODES.numberNode(
                            BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(64))));
                }
                default -> { // AT: group and element (PS3.5 6.2), written as in the JSON keys (PS3.18 F.2.3)
                    int group = Short.toUnsignedInt(b.getShort());
                    values.add(Tag.key(group << 16 | Short.toUnsignedInt(b.getShort())));
                }
            }
        }
        return values;
    }

    /** JSON numbers cannot be NaN or infinite; those become the strings Java and JavaScript print for them. */
    private static void addFloatingPoint(ArrayNode values, double v) {
        if (Double.isFinite(v)) {
            values.add(v);
        } else {
            values.add(Double.toString(v));
        }
    }

    private static void addFloatingPoint(ArrayNode values, float v) {
        if (Float.isFinite(v)) {
            values.add(v); // a float node prints the shortest decimal of the float (0.001, not 0.0010000000474974513)
        } else {
            values.add(Float.toString(v));
        }
    }

    /**
     * Text values (PS3.5 6.2): split at backslashes unless single-valued (PS3.5 6.4), padding trimmed. Empty
     * values among several are null (PS3.18 F.2.5). IS and DS become JSON numbers; one that does not parse stays
     * a string, which PS3.18 Table F.2.3-1 allows for them.
     */
    private static ArrayNode strings(String vr, String text) {
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
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        ObjectNode name = NODES.objectNode();
        for (int i = 0; i < Math.min(groups.length, names.length); i++) {
            String group = trim(groups[i], false);
            if (!group.isEmpty()) {
                name.put(names[i], group);
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

    /**
     * The character set of the text values that follow (PS3.3 C.12.1.1.2). Only the default repertoire, ISO_IR
     * 100 and ISO_IR 192 are really supported. Everything else (other single-byte sets, ISO 2022 code extensions,
     * GB18030, ...) is decoded as ISO-8859-1: ASCII comes out right and no byte is lost. The default repertoire
     * is decoded as ISO-8859-1 too: identical for ASCII, and files that put Latin-1 in without saying so (the
     * usual mistake) read as their authors meant, as Orthanc's default encoding (Latin1) reads them.
     */
    private static Charset charset(ObjectNode specificCharacterSet) {
        JsonNode values = specificCharacterSet.path("Value");
        String first = values.path(0).asText("");
        if (values.size() == 1 && first.equals("ISO_IR 192")) {
            return StandardCharsets.UTF_8;
        }
        return StandardCharsets.ISO_8859_1; // ISO_IR 6, ISO_IR 100, empty and the rest
    }

    // ---- JSON helpers ----

    private static ObjectNode attribute(String vr) {
        ObjectNode attribute = NODES.objectNode();
        attribute.put("vr", vr);
        return attribute;
    }

    private static ObjectNode sequence(ArrayNode items) {
        ObjectNode attribute = attribute("SQ");
        if (!items.isEmpty()) {
            attribute.set("Value", items);
        }
        return attribute;
    }

    private static void sortByTag(ObjectNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        fields.addAll(node.properties());
        fields.sort(Map.Entry.comparingByKey());
        node.removeAll();
        fields.forEach(f -> node.set(f.getKey(), f.getValue()));
    }
}
