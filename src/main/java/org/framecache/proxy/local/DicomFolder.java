package org.framecache.proxy.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.framecache.proxy.dicom.DicomFormatException;
import org.framecache.proxy.dicom.DicomJsonReader;
import org.framecache.proxy.dicom.FrameLocations;
import org.framecache.proxy.dicom.Part10FrameReader;
import org.framecache.proxy.dicom.Part10Summary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of DICOM Part 10 files, indexed once at start by study, series and SOP Instance UID: for every
 * instance, where each frame lies in its file and its attributes as DICOM JSON (without Pixel Data). Files that
 * are not DICOM, or that the frame reader cannot read, are skipped with a warning; the first file of a SOP
 * Instance UID wins.
 */
public final class DicomFolder {
    private static final Logger LOG = LoggerFactory.getLogger(DicomFolder.class);

    /** One indexed instance. {@code metadata} is shared: callers must not modify it. */
    public record Instance(Path file, Part10Summary summary, FrameLocations frames, ObjectNode metadata) {
        public String studyUid() {
            return summary.studyInstanceUid();
        }

        public String seriesUid() {
            return summary.seriesInstanceUid();
        }

        public String sopInstanceUid() {
            return summary.sopInstanceUid();
        }

        /** Frame {@code frame} (1-based) as stored, read from the file with positional reads. */
        public byte[] readFrame(int frame) throws IOException {
            try (FileChannel channel = FileChannel.open(file)) {
                return frames.read(channel, frame);
            }
        }
    }

    private final Path root;
    /** study → series → SOP Instance UID → instance, each in the order the files were found (sorted paths). */
    private final Map<String, Map<String, Map<String, Instance>>> studies;
    private final Map<String, Instance> instances;

    private DicomFolder(Path root, Map<String, Map<String, Map<String, Instance>>> studies,
            Map<String, Instance> instances) {
        this.root = root;
        this.studies = studies;
        this.instances = instances;
    }

    /** Reads every regular file under {@code root} (recursively, in path order). */
    public static DicomFolder index(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("not a directory: " + root.toAbsolutePath());
        }
        long started = System.nanoTime();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
        Map<String, Map<String, Map<String, Instance>>> studies = new LinkedHashMap<>();
        Map<String, Instance> instances = new LinkedHashMap<>();
        int skipped = 0;
        for (Path file : files) {
            Instance instance;
            try {
                instance = read(file);
            } catch (DicomFormatException e) {
                skipped++;
                LOG.warn("Skipping {}: {}", root.relativize(file), e.getMessage());
                continue;
            }
            Instance first = instances.putIfAbsent(instance.sopInstanceUid(), instance);
            if (first != null) {
                skipped++;
                LOG.warn("Skipping {}: SOP Instance UID {} already comes from {}", root.relativize(file),
                        instance.sopInstanceUid(), root.relativize(first.file()));
                continue;
            }
            studies.computeIfAbsent(instance.studyUid(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(instance.seriesUid(), s -> new LinkedHashMap<>())
                    .put(instance.sopInstanceUid(), instance);
        }
        LOG.info("Indexed {}: {} instances in {} studies ({} files skipped) in {} ms", root.toAbsolutePath(),
                instances.size(), studies.size(), skipped, (System.nanoTime() - started) / 1_000_000);
        return new DicomFolder(root, studies, instances);
    }

    private static Instance read(Path file) throws IOException {
        FrameLocations locations = new FrameLocations();
        Part10Summary summary;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 16384)) {
            summary = Part10FrameReader.locate(in, locations);
        }
        if (summary.sopInstanceUid() == null || summary.studyInstanceUid() == null
                || summary.seriesInstanceUid() == null) {
            throw new DicomFormatException("no study, series or SOP Instance UID");
        }
        ObjectNode metadata;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 16384)) {
            metadata = DicomJsonReader.read(in, null);
        }
        return new Instance(file, summary, locations, metadata);
    }

    public Path root() {
        return root;
    }

    /** The instance, or null when there is none with these UIDs. */
    public Instance instance(String study, String series, String sopInstance) {
        Instance instance = instances.get(sopInstance);
        return instance != null && instance.studyUid().equals(study) && instance.seriesUid().equals(series)
                ? instance : null;
    }

    /** The instances of a study (series null) or of one series; empty when there are none. */
    public List<Instance> instances(String study, String series) {
        Map<String, Map<String, Instance>> seriesOfStudy = studies.getOrDefault(study, Map.of());
        List<Instance> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, Instance>> entry : seriesOfStudy.entrySet()) {
            if (series == null || series.equals(entry.getKey())) {
                found.addAll(entry.getValue().values());
            }
        }
        return found;
    }

    public Collection<Instance> allInstances() {
        return instances.values();
    }

    /** Study UID → series UID → instances, for searches; read-only. */
    public Map<String, Map<String, Map<String, Instance>>> studies() {
        return studies;
    }
}
