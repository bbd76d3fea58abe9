package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.FaultInjector;
import org.framecache.proxy.testing.FaultInjector.Fault;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Orthanc behind a fault injector: each kind of broken raw answer is served as Orthanc's rendered JPEG for that
 * one answer (said so in Warning, not kept by any cache), and once the store answers well again, the client that asked
 * for stored bytes gets Orthanc's stored bytes, from a new raw call.
 */
class StoreFaultsOrthancTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private FaultInjector injector;
    private GeneratedInstance slide;
    private String orthancId;

    @Override
    protected Properties testProperties() {
        injector = FaultInjector.inFrontOf(ORTHANC.running().baseUrl());
        Properties p = new Properties();
        p.setProperty("proxy.upstream-url", injector.baseUrl() + "/dicom-web");
        return p;
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 8, 2, 256, false);
        orthancId = ORTHANC.upload(slide.part10());
    }

    @AfterAll
    void stopInjector() {
        injector.close();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aBrokenRawAnswerIsARenderedSubstituteOnceThenTheStoredBytes(Fault fault) throws Exception {
        int first = 2 * fault.ordinal() + 1;
        String frames = first + "," + (first + 1);
        String url = framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frames);
        injector.inject(fault);
        int spoiled = injector.spoiled().size();
        long rendered = upstreamCalls().getRenderedCalls();

        HttpResponse<byte[]> broken = get(url, "Accept", STORED);
        assertEquals(200, broken.statusCode(), fault + ": " + new String(broken.body()));
        assertEquals(spoiled + 1, injector.spoiled().size(), fault + " was injected");
        if (fault == Fault.STATUS_503) {
            // the upstream HTTP client asks once more after a 503 (its default retry for idempotent requests)
            assertTrue(broken.headers().firstValue("Warning").isEmpty(), "served from the retry");
            assertArrayEquals(ORTHANC.running().rawFrame(orthancId, first), parts(broken).get(0).content());
            assertEquals(rendered, upstreamCalls().getRenderedCalls());
            return;
        }
        assertEquals(rendered + 2, upstreamCalls().getRenderedCalls(), fault + ": the store was asked for rendered frames");
        assertTrue(broken.headers().firstValue("Warning").orElse("").contains("rendered fallback"), fault.toString());
        assertEquals("no-store", broken.headers().firstValue("Cache-Control").orElse(""), fault.toString());
        List<BodyPart> substitute = parts(broken);
        assertEquals(2, substitute.size());
        byte[] stored = ORTHANC.running().rawFrame(orthancId, first);
        assertFalse(Arrays.equals(stored, substitute.get(0).content()), fault + ": Orthanc's rendering is not the stored bytes");

        long raw = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> healthy = get(url, "Accept", STORED);
        assertEquals(200, healthy.statusCode(), fault + ": " + new String(healthy.body()));
        assertEquals(raw + 1, upstreamCalls().getRawFrameCalls(), fault + ": the stored bytes were asked for again");
        assertTrue(healthy.headers().firstValue("Warning").isEmpty(), fault.toString());
        List<BodyPart> parts = parts(healthy);
        assertArrayEquals(stored, parts.get(0).content(), fault + ": the stored bytes of frame " + first);
        assertArrayEquals(ORTHANC.running().rawFrame(orthancId, first + 1), parts.get(1).content(), fault.toString());
    }
}
