package org.framecache.proxy.local;

import static org.framecache.proxy.dicom.Tag.key;
import static org.framecache.proxy.dicom.Tag.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.framecache.proxy.dicom.Tag;

/**
 * Every study, series or instance of a {@link DicomFolder} as a search result before filtering: the attributes
 * PS3.18 Table 10.6.3-3 requires for the level, as the files hold them (every attribute of the level's first
 * instance with includefield=all), plus the counts the store computes (number of related series and instances,
 * modalities in study).
 */
final class SearchCandidates {
    private static final List<String> STUDY_ATTRIBUTES = keys(Tag.SpecificCharacterSet, Tag.StudyDate, Tag.StudyTime,
            Tag.AccessionNumber, Tag.ReferringPhysicianName, Tag.StudyDescription, Tag.PatientName, Tag.PatientID,
            Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID);
    private static final List<String> SERIES_ATTRIBUTES = keys(Tag.SpecificCharacterSet, Tag.Modality,
            Tag.SeriesDescription, Tag.SeriesInstanceUID, Tag.SeriesNumber, Tag.PerformedProcedureStepStartDate,
            Tag.PerformedProcedureStepStartTime);
    private static final List<String> INSTANCE_ATTRIBUTES = keys(Tag.SpecificCharacterSet, Tag.SOPClassUID,
            Tag.SOPInstanceUID, Tag.InstanceNumber, Tag.NumberOfFrames, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
            Tag.StudyInstanceUID, Tag.SeriesInstanceUID);

    private SearchCandidates() {
    }

    /** One result object per study, series or instance, in the folder's order. */
    static List<ObjectNode> of(DicomFolder folder, LocalSearch.Level level, boolean includeAll) {
        List<ObjectNode> results = new ArrayList<>();
        for (var study : folder.studies().entrySet()) {
            List<DicomFolder.Instance> ofStudy = new ArrayList<>();
            Set<String> modalities = new TreeSet<>();
            for (var series : study.getValue().values()) {
                ofStudy.addAll(series.values());
                series.values().forEach(i -> addText(modalities, i.metadata(), key(Tag.Modality)));
            }
            DicomFolder.Instance first = ofStudy.get(0);
            if (level == LocalSearch.Level.STUDY) {
                ObjectNode result = pick(first.metadata(), STUDY_ATTRIBUTES, includeAll);
                result.set(key(Tag.ModalitiesInStudy), strings("CS", modalities));
                result.set(key(Tag.NumberOfStudyRelatedSeries), number(study.getValue().size()));
                result.set(key(Tag.NumberOfStudyRelatedInstances), number(ofStudy.size()));
                results.add(result);
                continue;
            }
            for (var series : study.getValue().values()) {
                List<DicomFolder.Instance> ofSeries = List.copyOf(series.values());
                if (level == LocalSearch.Level.SERIES) {
                    ObjectNode result = pick(ofSeries.get(0).metadata(), STUDY_ATTRIBUTES, false);
                    result.setAll(pick(ofSeries.get(0).metadata(), SERIES_ATTRIBUTES, includeAll));
                    result.set(key(Tag.NumberOfSeriesRelatedInstances), number(ofSeries.size()));
                    results.add(result);
                    continue;
                }
                for (DicomFolder.Instance instance : ofSeries) {
                    ObjectNode result = pick(instance.metadata(), STUDY_ATTRIBUTES, false);
                    result.setAll(pick(instance.metadata(), SERIES_ATTRIBUTES, false));
                    result.setAll(pick(instance.metadata(), INSTANCE_ATTRIBUTES, includeAll));
                    results.add(result);
                }
            }
        }
        return results;
    }

    private static ObjectNode pick(ObjectNode metadata, List<String> tags, boolean all) {
        if (all) {
            return metadata.deepCopy();
        }
        ObjectNode result = StoreAnswer.JSON.createObjectNode();
        for (String tag : tags) {
            JsonNode value = metadata.get(tag);
            if (value != null) {
                result.set(tag, value);
            }
        }
        return result;
    }

    private static void addText(Set<String> into, JsonNode metadata, String tag) {
        String text = MetadataValues.firstText(metadata, tag);
        if (text != null && !text.isEmpty()) {
            into.add(text);
        }
    }

    private static ObjectNode strings(String vr, Set<String> values) {
        ObjectNode node = StoreAnswer.JSON.createObjectNode().put("vr", vr);
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray("Value");
            values.forEach(array::add);
        }
        return node;
    }

    private static ObjectNode number(int value) {
        ObjectNode node = StoreAnswer.JSON.createObjectNode().put("vr", "IS");
        node.putArray("Value").add(value);
        return node;
    }
}
