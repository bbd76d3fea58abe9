package org.framecache.proxy.local;

import static org.framecache.proxy.dicom.Tag.key;

import java.util.Map;
import java.util.regex.Pattern;

import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.http.ProxyException;

/**
 * The attribute a search parameter names (PS3.18 §8.3.4.1): a tag as 8 hex digits, or one of the PS3.6 keywords a
 * query may use instead. Only the attributes this store can match are known by keyword; any other name is a 400.
 */
final class SearchKeywords {
    /** Keywords a query may use instead of tags. */
    private static final Map<String, String> KEYWORDS = Map.ofEntries(
            Map.entry("StudyInstanceUID", key(Tag.StudyInstanceUID)),
            Map.entry("SeriesInstanceUID", key(Tag.SeriesInstanceUID)),
            Map.entry("SOPInstanceUID", key(Tag.SOPInstanceUID)), Map.entry("SOPClassUID", key(Tag.SOPClassUID)),
            Map.entry("Modality", key(Tag.Modality)), Map.entry("ModalitiesInStudy", key(Tag.ModalitiesInStudy)),
            Map.entry("PatientID", key(Tag.PatientID)), Map.entry("PatientName", key(Tag.PatientName)),
            Map.entry("AccessionNumber", key(Tag.AccessionNumber)), Map.entry("StudyDate", key(Tag.StudyDate)),
            Map.entry("StudyTime", key(Tag.StudyTime)), Map.entry("StudyID", key(Tag.StudyID)),
            Map.entry("StudyDescription", key(Tag.StudyDescription)),
            Map.entry("SeriesDescription", key(Tag.SeriesDescription)),
            Map.entry("SeriesNumber", key(Tag.SeriesNumber)), Map.entry("InstanceNumber", key(Tag.InstanceNumber)),
            Map.entry("ReferringPhysicianName", key(Tag.ReferringPhysicianName)),
            Map.entry("PatientBirthDate", key(Tag.PatientBirthDate)), Map.entry("PatientSex", key(Tag.PatientSex)),
            Map.entry("NumberOfFrames", key(Tag.NumberOfFrames)), Map.entry("Rows", key(Tag.Rows)),
            Map.entry("Columns", key(Tag.Columns)));
    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{8}");

    private SearchKeywords() {
    }

    /** The tag, as the DICOM JSON key (8 upper-case hex digits), of a parameter name. */
    static String tag(String name) {
        if (TAG.matcher(name).matches()) {
            return name.toUpperCase();
        }
        String tag = KEYWORDS.get(name);
        if (tag == null) {
            throw ProxyException.badRequest("unknown search attribute \"" + name + "\"");
        }
        return tag;
    }
}
