package org.framecache.proxy;

import static org.framecache.proxy.testing.OrthancResource.ALICE;
import static org.framecache.proxy.testing.OrthancResource.BOB;
import static org.framecache.proxy.testing.OrthancResource.basic;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cached frame is never served to a caller the store would refuse: real Orthanc with basic authentication,
 * user A fills the cache, then no, wrong and valid credentials each get what the store would have said.
 */
class AccessControlTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.withAliceAndBob();

    private GeneratedInstance slide;

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 4, 256, false);
        ORTHANC.upload(slide.part10());
    }

    private String url(String frames) {
        return framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), frames);
    }

    @Test
    void cachedFramesReachOnlyCallersTheStoreAccepts() throws Exception {
        HttpResponse<byte[]> alice = get(url("3"), "Accept", STORED, "Authorization", ALICE);
        assertEquals(200, alice.statusCode(), new String(alice.body()));
        byte[] frame = parts(alice).get(0).content();
        assertArrayEquals(slide.frames().get(2), frame);
        long frameCalls = upstreamCalls().getRawFrameCalls();

        HttpResponse<byte[]> anonymous = get(url("3"), "Accept", STORED);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                "the store's challenge is passed on");
        assertFalse(new String(anonymous.body(), StandardCharsets.ISO_8859_1).contains("\u00ff\u00d8"), "no JPEG bytes");

        HttpResponse<byte[]> wrong = get(url("3"), "Accept", STORED, "Authorization", basic("alice", "guess"));
        assertEquals(401, wrong.statusCode());
        HttpResponse<byte[]> stranger = get(url("3") + "/rendered", "Authorization", basic("mallory", "x"));
        assertEquals(401, stranger.statusCode(), "the rendered endpoint is checked too");

        HttpResponse<byte[]> bob = get(url("3"), "Accept", STORED, "Authorization", BOB);
        assertEquals(200, bob.statusCode());
        assertArrayEquals(frame, parts(bob).get(0).content());
        assertEquals(frameCalls, upstreamCalls().getRawFrameCalls(), "bob was served from the cache after his own check");

        long metadataCalls = upstreamCalls().getMetadataCalls();
        assertEquals(200, get(url("3"), "Accept", STORED, "Authorization", BOB).statusCode());
        assertEquals(401, get(url("3"), "Accept", STORED).statusCode());
        assertEquals(metadataCalls, upstreamCalls().getMetadataCalls(), "decisions, refusals included, are remembered");

        String metrics = new String(get("http://127.0.0.1:" + managementPort + "/observe/metrics").body());
        assertTrue(metrics.contains("dicomweb_access_decisions_total{outcome=\"refused-by-store\"}"), metrics);
        assertTrue(metrics.contains("dicomweb_requests_total{route=\"wado-frames\",status=\"401\"}"), "requests by status");
    }

    @Test
    void passThroughCarriesTheCallersCredentials() throws Exception {
        String search = "http://127.0.0.1:" + proxyPort + "/dicomweb/studies?StudyInstanceUID=" + slide.studyUid();
        HttpResponse<byte[]> alice = get(search, "Authorization", ALICE);
        assertEquals(200, alice.statusCode());
        assertTrue(new String(alice.body()).contains(slide.studyUid()));
        HttpResponse<byte[]> anonymous = get(search);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent(), "the store's challenge passes through");
    }
}
