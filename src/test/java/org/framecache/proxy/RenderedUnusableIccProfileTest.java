package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeStoreResource;
import org.framecache.proxy.testing.FakeStoreSlides;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An instance whose ICC profile LittleCMS reads but cannot link from pixels (the sRGB profile with its class made a
 * device link, an abstract or a named-colour profile), inline in the metadata: a transform from it, and embedding it
 * with iccprofile=yes, are 502 "the instance's ICC profile cannot be used" with the reason, never a 500; the
 * rendering without the profile (iccprofile=no) is unaffected.
 */
class RenderedUnusableIccProfileTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private final FakeDicomWebStore store = STORE.running();

    private final java.util.Map<String, GeneratedInstance> byClass = new java.util.HashMap<>();

    @Override
    protected Properties testProperties() {
        return propertiesOf(STORE);
    }

    @BeforeAll
    void serveSlides() throws IOException {
        byte[] srgb;
        try (InputStream in = getClass().getResourceAsStream("/icc/sRGB.icc")) {
            srgb = in.readAllBytes();
        }
        java.util.Map<String, String> profiles = new java.util.HashMap<>();
        for (String profileClass : List.of("link", "abst", "nmcl")) {
            GeneratedInstance slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 1, 1, 32, true);
            byte[] profile = srgb.clone();
            System.arraycopy(profileClass.getBytes(StandardCharsets.US_ASCII), 0, profile, 12, 4);
            byClass.put(profileClass, slide);
            profiles.put(slide.sopInstanceUid(), Base64.getEncoder().encodeToString(profile));
        }
        List<GeneratedInstance> slides = List.copyOf(byClass.values());
        store.answerMetadata(path -> {
            GeneratedInstance slide = FakeStoreSlides.held(slides, path);
            return Answer.of(200, "application/dicom+json", FakeStoreSlides.metadata(slide, "YBR_FULL_422",
                    "\"00282000\":{\"vr\":\"OB\",\"InlineBinary\":\"" + profiles.get(slide.sopInstanceUid()) + "\"}"));
        });
        store.answerFrames(path -> FakeStoreSlides.storedFrames(FakeStoreSlides.held(slides, path), path, "image/jpeg"));
    }

    private String rendered(GeneratedInstance slide, String query) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "1") + "/rendered?" + query;
    }

    @ParameterizedTest
    @ValueSource(strings = {"link", "abst", "nmcl"})
    void aProfileThatCannotBeLinkedIsA502WithTheReason(String profileClass) throws Exception {
        GeneratedInstance slide = byClass.get(profileClass);
        for (String query : List.of("iccprofile=srgb", "iccprofile=adobergb", "iccprofile=yes")) {
            HttpResponse<byte[]> answer = get(rendered(slide, query), "Accept", "image/png");
            String body = new String(answer.body(), StandardCharsets.UTF_8);
            assertEquals(502, answer.statusCode(), query + ": " + body);
            assertTrue(body.startsWith("the instance's ICC profile cannot be used"), body);
            assertTrue(body.contains("'" + profileClass + "'"), "names the class: " + body);
        }
        HttpResponse<byte[]> stored = get(rendered(slide, "iccprofile=no"), "Accept", "image/png");
        assertEquals(200, stored.statusCode(), new String(stored.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> notEmbedded = get(rendered(slide, "iccprofile=yes&embed_iccprofile=false"), "Accept", "image/png");
        assertEquals(200, notEmbedded.statusCode(), "nothing embedded, pixels as stored: the profile is not used");
    }
}
