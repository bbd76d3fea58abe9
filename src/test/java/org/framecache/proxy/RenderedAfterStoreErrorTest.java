package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.FakeStoreSlides;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that errs now and then: a 500 while the stored frames are fetched to render (or to learn the stored syntax)
 * is this request's failure, never remembered as "the stored frames are unusable": once the store answers again, the
 * proxy renders (a WebP only the proxy can make). A syntax the proxy does not take is remembered, and the store renders.
 */
class RenderedAfterStoreErrorTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private final FakeDicomWebStore store = STORE.running();

    private final AtomicBoolean failing = new AtomicBoolean();
    private GeneratedInstance renderedFirst;
    private GeneratedInstance probedFirst;
    private GeneratedInstance implicitSlide;

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    @BeforeAll
    void serveSlides() {
        String study = SlideGenerator.newUid();
        renderedFirst = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 2, 1, 64, true);
        probedFirst = SlideGenerator.jpegWsi(study, SlideGenerator.newUid(), 2, 1, 64, true);
        implicitSlide = SlideGenerator.nativeInstance(study, SlideGenerator.newUid(), 2, 32, 32, false);
        List<GeneratedInstance> slides = List.of(renderedFirst, probedFirst, implicitSlide);
        store.answerMetadata(path -> {
            GeneratedInstance slide = FakeStoreSlides.held(slides, path);
            return Answer.of(200, "application/dicom+json", FakeStoreSlides.metadata(slide,
                    slide == implicitSlide ? "RGB" : "YBR_FULL_422", ""));
        });
        store.answerFrames(path -> {
            if (failing.get()) {
                return Answer.of(500, "application/json", "{\"Message\":\"Internal error\"}".getBytes(StandardCharsets.US_ASCII));
            }
            GeneratedInstance slide = FakeStoreSlides.held(slides, path);
            return FakeStoreSlides.storedFrames(slide, path, TransferSyntaxes.mediaTypeOf(slide.transferSyntaxUid()));
        });
        store.answerRendered(Answer.of(200, "image/jpeg", renderedFirst.frames().get(0)));
    }

    private String rendered(GeneratedInstance slide, String frames) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frames) + "/rendered";
    }

    private void assertRenderedByTheProxy(GeneratedInstance slide) throws Exception {
        int storeRendered = store.renderedCalls();
        HttpResponse<byte[]> webp = get(rendered(slide, "2"), "Accept", "image/webp");
        assertEquals(200, webp.statusCode(), new String(webp.body()));
        assertEquals("image/webp", webp.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("WEBP", new String(webp.body(), 8, 4, StandardCharsets.US_ASCII));
        assertEquals(storeRendered, store.renderedCalls(), "made by the proxy");
    }

    @Test
    void aStoreErrorWhileFetchingFramesToRenderIsNotRemembered() throws Exception {
        failing.set(true);
        try {
            HttpResponse<byte[]> during = get(rendered(renderedFirst, "1"), "Accept", "image/webp");
            assertEquals(502, during.statusCode(), new String(during.body()));
            assertTrue(new String(during.body()).contains("500"), "the store's answer is the reason: " + new String(during.body()));
        } finally {
            failing.set(false);
        }
        assertRenderedByTheProxy(renderedFirst);
    }

    @Test
    void aStoreErrorWhileProbingTheStoredSyntaxIsNotRemembered() throws Exception {
        failing.set(true);
        int calls = store.frameCalls();
        try {
            // two syntaxes listed, the stored one not known yet: one frame is fetched as stored first (the probe)
            get(framesUrl(probedFirst.studyUid(), probedFirst.seriesUid(), probedFirst.sopInstanceUid(), "1"), "Accept",
                    "multipart/related; type=\"image/jpeg\"; transfer-syntax=" + TransferSyntaxes.JPEG_BASELINE
                            + ", multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90");
        } finally {
            failing.set(false);
        }
        assertTrue(store.frameCalls() > calls, "the store was asked");
        assertRenderedByTheProxy(probedFirst);
    }

    @Test
    void framesInASyntaxTheProxyDoesNotTakeAreRememberedAndRenderedByTheStore() throws Exception {
        HttpResponse<byte[]> first = get(rendered(implicitSlide, "1"), "Accept", "image/jpeg");
        assertEquals(200, first.statusCode(), new String(first.body()));
        int calls = store.frameCalls();
        HttpResponse<byte[]> second = get(rendered(implicitSlide, "2"), "Accept", "image/jpeg");
        assertEquals(200, second.statusCode(), new String(second.body()));
        assertEquals(calls, store.frameCalls(), "the stored frames are not asked again");
        HttpResponse<byte[]> webp = get(rendered(implicitSlide, "2"), "Accept", "image/webp");
        assertEquals(406, webp.statusCode(), "the store makes no WebP");
    }
}
