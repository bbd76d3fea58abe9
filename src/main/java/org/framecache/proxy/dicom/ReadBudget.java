package org.framecache.proxy.dicom;

/**
 * What one {@link DicomJsonReader} read may buffer ({@link DicomJsonReader.Limits}): which values are too long to
 * keep, and the running totals of kept bytes and of attributes and items, and the sequence depth, past which the
 * read fails.
 */
final class ReadBudget {
    private final DicomJsonReader.Limits limits;
    private long keptBytes;
    private int attributes;

    ReadBudget(DicomJsonReader.Limits limits) {
        this.limits = limits;
    }

    /** Whether a value of {@code length} bytes is skipped rather than kept: binary VRs have a lower bound. */
    boolean tooLongToKeep(long length, boolean binary) {
        return length > (binary ? limits.maxInlineBinary() : limits.maxValue());
    }

    /** Counts a value of {@code length} bytes about to be kept. */
    void keep(long length) throws DicomFormatException {
        keptBytes += length;
        if (keptBytes > limits.maxTotalBytes()) {
            throw new DicomFormatException("data set values exceed " + limits.maxTotalBytes() + " bytes");
        }
    }

    /** Counts an attribute or a sequence item. */
    void countAttribute() throws DicomFormatException {
        if (++attributes > limits.maxAttributes()) {
            throw new DicomFormatException("more than " + limits.maxAttributes() + " attributes and items");
        }
    }

    /** Checks the nesting depth of a sequence about to be read. */
    void checkDepth(int depth) throws DicomFormatException {
        if (depth > limits.maxDepth()) {
            throw new DicomFormatException("sequences nested deeper than " + limits.maxDepth());
        }
    }
}
