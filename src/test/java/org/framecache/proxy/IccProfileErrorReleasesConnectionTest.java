package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

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
 * The store answers 404 with a body for an instance's ICC profile (bulk data): the answer is 502, and the store's
 * connection goes back to the pool at once. With one connection to the store, the next request for the profile is
 * served right away, not after the first call's deadline. (A guard: camel-http also closes each response when its
 * exchange completes, so this held before SourceIccProfiles closed the error answer itself.)
 */
class IccProfileErrorReleasesConnectionTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private final FakeDicomWebStore store = STORE.running();

    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        Properties properties = propertiesOf(STORE);
        properties.setProperty("camel.component.http.max-total-connections", "1");
        properties.setProperty("camel.component.http.connections-per-route", "1");
        return properties;
    }

    @BeforeAll
    void serveSlide() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 1, 32, true);
        String bulk = store.dicomWebUrl() + "/studies/" + slide.studyUid() + "/series/" + slide.seriesUid()
                + "/instances/" + slide.sopInstanceUid() + "/bulk/00282000";
        store.answerMetadata(path -> Answer.of(200, "application/dicom+json", FakeStoreSlides.metadata(slide,
                "YBR_FULL_422", "\"00282000\":{\"vr\":\"OB\",\"BulkDataURI\":\"" + bulk + "\"}")));
        byte[] notFound = ("{\"HttpError\":\"Not Found\",\"Message\":\"Unknown resource\"" + " ".repeat(200) + "}")
                .getBytes(StandardCharsets.US_ASCII);
        store.answerFrames(path -> path.contains("/bulk/") ? Answer.of(404, "application/json", notFound)
                : FakeStoreSlides.storedFrames(slide, path, "image/jpeg"));
    }

    private String rendered(String frame, String query) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frame) + "/rendered?" + query;
    }

    @Test
    void aStoreErrorForTheProfileGivesItsConnectionBack() throws Exception {
        // the instance's metadata, stored syntax and frame 1 are known and cached: what follows asks the store only
        // for the profile
        HttpResponse<byte[]> warm = get(rendered("1", "iccprofile=no"), "Accept", "image/png");
        assertEquals(200, warm.statusCode(), new String(warm.body(), StandardCharsets.UTF_8));
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> answer = get(rendered("1", "iccprofile=srgb"), "Accept", "image/png");
            long millis = (System.nanoTime() - start) / 1_000_000;
            String body = new String(answer.body(), StandardCharsets.UTF_8);
            assertEquals(502, answer.statusCode(), body);
            assertTrue(body.contains("404"), "the store's status is the reason: " + body);
            assertTrue(millis < 2000, "the one connection to the store was free at once, not after a deadline: "
                    + millis + " ms");
        }
        assertEquals(2, store.requests().stream().filter(r -> r.contains("/bulk/00282000")).count(),
                "the profile was asked each time: " + store.requests());
    }
}
