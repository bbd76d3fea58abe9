package org.framecache.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of the proxy in layers, top to bottom: a class may use the packages below its own, never one above
 * (a route concern does not reach back into the one that calls it). Run alone with
 * {@code mvn -q -o test -Dtest=PackageLayersTest}; a new package must take its place in {@link #LAYERS}.
 */
class PackageLayersTest {
    private static final String BASE = "org.framecache.proxy";

    /** Package (relative to {@value #BASE}, "" the root) and what lives there, top to bottom. */
    static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("", "the application shell: ProxyMain, the configuration, the meters, the route guard");
        LAYERS.put("local", "a folder of DICOM files served as the store (local-store.folder)");
        LAYERS.put("server", "the HTTP server and what runs around the routes: CORS, in-process hits, completion");
        LAYERS.put("ops", "access log and audit, readiness checks, the status page");
        LAYERS.put("render", "rendered frames made by the proxy: render pool, ICC sources, virtual-level metadata");
        LAYERS.put("frames", "the cache view, in-flight claims, stored syntaxes, part validation, prefetch");
        LAYERS.put("access", "per-instance access decisions asked of the store");
        LAYERS.put("upstream", "calls to the store: request, answer, breaker, connections, deadlines, pass-through");
        LAYERS.put("outbound", "the answers written to the client: multipart frames, errors");
        LAYERS.put("inbound", "the request: paths, parsing, Accept negotiation, representation, the frame request");
        LAYERS.put("multipart", "multipart/related reading");
        LAYERS.put("image", "pixels: decoders, encoders, transcoders, resampling, ICC");
        LAYERS.put("cache", "byte caches: in-process, Redis, tiered, encrypted");
        LAYERS.put("dicom", "DICOM files and JSON: Part 10 frames, metadata, transfer syntaxes");
        LAYERS.put("http", "HTTP vocabulary: media types, a failure with a status");
    }

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);

    private static String[] packages(List<String> layers) {
        return layers.stream().map(l -> l.equals("(root)") ? BASE : BASE + "." + l + "..").toArray(String[]::new);
    }

    @Test
    void everyPackageHasItsLayer() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String relative = c.getPackageName().equals(BASE) ? "" : c.getPackageName().substring(BASE.length() + 1);
            if (!LAYERS.containsKey(relative) && !LAYERS.containsKey(relative.split("\\.")[0])) {
                unplaced.add(c.getPackageName());
            }
        }
        assertEquals(Set.of(), unplaced, "packages without a place in PackageLayersTest.LAYERS");
    }

    @Test
    void noPackageUsesOneAboveIt() {
        List<String> above = new ArrayList<>();
        for (String layer : LAYERS.keySet()) {
            if (!above.isEmpty()) {
                String own = layer.isEmpty() ? BASE : BASE + "." + layer + "..";
                noClasses().that().resideInAPackage(own)
                        .should().dependOnClassesThat().resideInAnyPackage(packages(above))
                        .because(layer + " sits below " + above).check(CLASSES);
            }
            above.add(layer.isEmpty() ? "(root)" : layer);
        }
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
