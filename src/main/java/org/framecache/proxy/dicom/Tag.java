package org.framecache.proxy.dicom;

import java.util.ArrayList;
import java.util.List;

/**
 * The attribute tags the proxy reads or writes, named by their PS3.6 keywords (Table 6-1, Table 7-1 for the file
 * meta group, Table 7-3 for items and delimiters), as (group << 16 | element). DICOM JSON spells a tag as its
 * {@link #key} (PS3.18 F.2.2).
 */
public final class Tag {
    public static final int TransferSyntaxUID = 0x00020010;

    public static final int SpecificCharacterSet = 0x00080005;
    public static final int SOPClassUID = 0x00080016;
    public static final int SOPInstanceUID = 0x00080018;
    public static final int StudyDate = 0x00080020;
    public static final int StudyTime = 0x00080030;
    public static final int AccessionNumber = 0x00080050;
    public static final int Modality = 0x00080060;
    public static final int ModalitiesInStudy = 0x00080061;
    public static final int ReferringPhysicianName = 0x00080090;
    public static final int StudyDescription = 0x00081030;
    public static final int SeriesDescription = 0x0008103E;
    public static final int AvailableTransferSyntaxUID = 0x00083002;

    public static final int PatientName = 0x00100010;
    public static final int PatientID = 0x00100020;
    public static final int PatientBirthDate = 0x00100030;
    public static final int PatientSex = 0x00100040;

    public static final int StudyInstanceUID = 0x0020000D;
    public static final int SeriesInstanceUID = 0x0020000E;
    public static final int StudyID = 0x00200010;
    public static final int SeriesNumber = 0x00200011;
    public static final int InstanceNumber = 0x00200013;
    public static final int NumberOfStudyRelatedSeries = 0x00201206;
    public static final int NumberOfStudyRelatedInstances = 0x00201208;
    public static final int NumberOfSeriesRelatedInstances = 0x00201209;
    public static final int DimensionOrganizationType = 0x00209311;

    public static final int SamplesPerPixel = 0x00280002;
    public static final int PhotometricInterpretation = 0x00280004;
    public static final int PlanarConfiguration = 0x00280006;
    public static final int NumberOfFrames = 0x00280008;
    public static final int Rows = 0x00280010;
    public static final int Columns = 0x00280011;
    public static final int PixelSpacing = 0x00280030;
    public static final int BitsAllocated = 0x00280100;
    public static final int BitsStored = 0x00280101;
    public static final int PixelRepresentation = 0x00280103;
    public static final int ICCProfile = 0x00282000;
    public static final int PixelMeasuresSequence = 0x00289110;

    public static final int PerformedProcedureStepStartDate = 0x00400244;
    public static final int PerformedProcedureStepStartTime = 0x00400245;

    public static final int TotalPixelMatrixColumns = 0x00480006;
    public static final int TotalPixelMatrixRows = 0x00480007;
    public static final int OpticalPathSequence = 0x00480105;

    public static final int SharedFunctionalGroupsSequence = 0x52009229;

    public static final int ExtendedOffsetTable = 0x7FE00001;
    public static final int ExtendedOffsetTableLengths = 0x7FE00002;
    public static final int FloatPixelData = 0x7FE00008;
    public static final int DoubleFloatPixelData = 0x7FE00009;
    public static final int PixelData = 0x7FE00010;

    public static final int Item = 0xFFFEE000;
    public static final int ItemDelimitationItem = 0xFFFEE00D;
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;

    /** The group of the File Meta Information elements (PS3.10 7.1). */
    static final int FILE_META_GROUP = 0x0002;
    /** The group of items and delimiters (PS3.5 7.5), which never carry a VR. */
    static final int ITEM_GROUP = 0xFFFE;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Tag() {
    }

    /** The tag as a DICOM JSON key: eight uppercase hexadecimal digits (PS3.18 F.2.2); these sort as tags do. */
    public static String key(int tag) {
        char[] key = new char[8];
        for (int i = 7; i >= 0; i--) {
            key[i] = HEX[tag & 0xF];
            tag >>>= 4;
        }
        return new String(key);
    }

    /** Whether {@code tag} is a File Meta Information element (group 0002). */
    static boolean isFileMetaInformation(int tag) {
        return tag >>> 16 == FILE_META_GROUP;
    }

    /** Whether {@code tag} is an item or a delimiter (group FFFE, PS3.5 7.5). */
    static boolean isItemOrDelimiter(int tag) {
        return tag >>> 16 == ITEM_GROUP;
    }

    /** Whether {@code tag} is a Group Length element (gggg,0000; PS3.5 7.2). */
    static boolean isGroupLength(int tag) {
        return (tag & 0xFFFF) == 0;
    }

    /** Whether {@code tag} is a Private Creator element: odd group, element 0010 to 00FF (PS3.5 7.8.1). */
    static boolean isPrivateCreator(int tag) {
        int element = tag & 0xFFFF;
        return (tag >>> 16 & 1) == 1 && element >= 0x0010 && element <= 0x00FF;
    }

    /** The tag as messages print it: {@code (gggg,eeee)} in uppercase hexadecimal. */
    static String toString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** The tags' {@link #key}s, in the order given. */
    public static List<String> keys(int... tags) {
        List<String> keys = new ArrayList<>(tags.length);
        for (int tag : tags) {
            keys.add(key(tag));
        }
        return List.copyOf(keys);
    }
}
