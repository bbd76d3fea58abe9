package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;

import java.io.IOException;

/**
 * Skips a value the reader does not interpret without buffering it: a value of defined length by its length, a
 * sequence of undefined length structurally, item by item (PS3.5 7.5).
 */
final class ValueSkipper {
    private static final int MAX_SEQUENCE_DEPTH = 64;

    private ValueSkipper() {
    }

    /**
     * Skips the value of {@code h}. Undefined length means a sequence (PS3.5 7.5.2); an explicit VR of UN with
     * undefined length holds a sequence encoded in Implicit VR Little Endian (PS3.5 6.2.2).
     */
    static void skipValue(DicomStream in, ElementHeader h, boolean implicit, int depth) throws IOException {
        if (h.length() != UNDEFINED_LENGTH) {
            in.skip(h.length(), "value of " + Tag.toString(h.tag()));
        } else {
            skipSequence(in, implicit || "UN".equals(h.vr()), depth + 1);
        }
    }

    /** Items up to the Sequence Delimitation Item (PS3.5 7.5.1). */
    private static void skipSequence(DicomStream in, boolean implicit, int depth) throws IOException {
        if (depth > MAX_SEQUENCE_DEPTH) {
            throw new DicomFormatException("sequences nested deeper than " + MAX_SEQUENCE_DEPTH);
        }
        while (true) {
            ElementHeader item = ElementHeader.readItem(in, "sequence");
            if (item.tag() == Tag.SequenceDelimitationItem) {
                return;
            }
            if (item.tag() != Tag.Item) {
                throw new DicomFormatException("unexpected " + Tag.toString(item.tag()) + " in a sequence");
            }
            if (item.length() == UNDEFINED_LENGTH) {
                skipItem(in, implicit, depth);
            } else {
                in.skip(item.length(), "sequence item");
            }
        }
    }

    /** Data elements up to the Item Delimitation Item. */
    private static void skipItem(DicomStream in, boolean implicit, int depth) throws IOException {
        while (true) {
            ElementHeader h = ElementHeader.read(in, !implicit);
            if (h.tag() == Tag.ItemDelimitationItem) {
                return;
            }
            if (Tag.isItemOrDelimiter(h.tag())) {
                throw new DicomFormatException("unexpected " + Tag.toString(h.tag()) + " in a sequence item");
            }
            skipValue(in, h, implicit, depth);
        }
    }
}
