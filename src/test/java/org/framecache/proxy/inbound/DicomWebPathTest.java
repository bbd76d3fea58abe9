package org.framecache.proxy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.framecache.proxy.http.ProxyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The path boundary: DICOMweb resources in, everything else out before the store is asked. */
class DicomWebPathTest {
    private static final String INSTANCE = "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5";

    @ParameterizedTest
    @ValueSource(strings = {"/studies", "/series", "/instances", "/studies/1.2.3", "/studies/1.2.3/metadata",
            "/studies/1.2.3/rendered", "/studies/1.2.3/thumbnail", "/studies/1.2.3/series", "/studies/1.2.3/instances",
            "/studies/1.2.3/series/1.2.3.4", "/studies/1.2.3/series/1.2.3.4/metadata", "/studies/1.2.3/series/1.2.3.4/instances",
            "/studies/1.2.3/series/1.2.3.4/rendered", INSTANCE, INSTANCE + "/metadata", INSTANCE + "/rendered",
            INSTANCE + "/thumbnail", INSTANCE + "/frames/1,2", INSTANCE + "/frames/1/rendered", INSTANCE + "/frames/3/thumbnail",
            INSTANCE + "/bulk/7fe00010", INSTANCE + "/bulkdata/00091001/1/00100010"})
    void dicomWebResourcesPassAsTheyAre(String path) {
        assertEquals(path, DicomWebPath.parse(path).upstreamPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..%2fsystem", "/..%2Fsystem", "/%2e%2e%2fsystem", "/..\\system", "/..%5csystem", "/%2F..%2F..%2Fsystem",
            "/studies/..%2f..%2finstances", "/studies/1.2.3/..", "/studies/1.2.3/.", "/studies//series", "/studies/",
            "/studies/1.2.3%2f..%2f..%2ftools", "/studies/1.2.3/series/1.2%0d%0aX: y", "/studies/%zz", "/studies/%c3%28",
            "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/bulk/..%2f..", "/studies/abc",
            "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1;x"})
    void traversalEncodedSeparatorsAndBadSegmentsAre400(String path) {
        ProxyException e = assertThrows(ProxyException.class, () -> DicomWebPath.parse(path));
        assertEquals(400, e.getStatus(), path + ": " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/system", "/instances/abc/frames/0/raw", "/tools/find", "/studies/1.2.3/archive",
            "/patients", "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/file", INSTANCE + "/frames/1/raw",
            INSTANCE + "/frames", INSTANCE + "/frames/1/rendered/x", "/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/preview"})
    void anythingElseIs404(String path) {
        ProxyException e = assertThrows(ProxyException.class, () -> DicomWebPath.parse(path));
        assertEquals(404, e.getStatus(), path + ": " + e.getMessage());
    }

    @Test
    void methodsPerResource() {
        assertEquals(Set.of("GET", "HEAD", "POST"), DicomWebPath.parse("/studies").allowedMethods(false));
        assertEquals(Set.of("GET", "HEAD"), DicomWebPath.parse("/series").allowedMethods(true));
        assertEquals(Set.of("GET", "HEAD", "POST"), DicomWebPath.parse("/studies/1.2").allowedMethods(false));
        assertEquals(Set.of("GET", "HEAD", "POST", "DELETE"), DicomWebPath.parse("/studies/1.2").allowedMethods(true));
        assertFalse(DicomWebPath.parse(INSTANCE).allows("DELETE", false), "DELETE is off by default");
        assertTrue(DicomWebPath.parse(INSTANCE).allows("DELETE", true));
        assertFalse(DicomWebPath.parse(INSTANCE + "/metadata").allows("DELETE", true), "read-only resources stay read-only");
        assertFalse(DicomWebPath.parse(INSTANCE + "/frames/1").allows("POST", true));
        assertFalse(DicomWebPath.parse("/studies/1.2/series").allows("PUT", true));
    }
}
