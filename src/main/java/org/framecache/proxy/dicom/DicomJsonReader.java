package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

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
 *
 * <p>The parts: {@link FileMetaInformation} for the transfer syntax, {@link DataSetToJson} for the walk over the
 * data set (values by {@link NumberValues} and {@link TextValues}, decoded as {@link SpecificCharacterSet} says),
 * {@link BulkDataUris} for what is left out, {@link ReadBudget} for the {@link Limits}.
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

    private DicomJsonReader() {
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
        DicomStream stream = new DicomStream(in);
        String transferSyntaxUid = FileMetaInformation.readTransferSyntax(stream);
        ObjectNode dataSet = new DataSetToJson(stream, new BulkDataUris(bulkDataUriPrefix), new ReadBudget(limits))
                .readTopLevel(IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid));
        if (!dataSet.has(Tag.key(Tag.AvailableTransferSyntaxUID))) {
            ObjectNode available = JsonAttributes.attribute("UI");
            available.putArray("Value").add(transferSyntaxUid);
            dataSet.set(Tag.key(Tag.AvailableTransferSyntaxUID), available);
            JsonAttributes.sortByTag(dataSet);
        }
        return dataSet;
    }
}
