package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.time.Duration;

import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.RedisResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.framecache.proxy.testing.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole-instance prefetch against the real Orthanc and Redis: one miss, one background download of the instance,
 * and then every frame is served from the cache, byte-identical to what Orthanc stores.
 */
class PrefetchTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();
    @RegisterExtension
    static final RedisResource REDIS = RedisResource.shared();
    private GeneratedInstance slide;
    private GeneratedInstance small;

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(ORTHANC, REDIS);
        p.setProperty("cache.key-prefix", "prefetch-" + proxyPort + ":");
        p.setProperty("prefetch.enabled", "true");
        p.setProperty("prefetch.min-frames", "16");
        return p;
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 16, 16, 256, false);
        ORTHANC.upload(slide.part10());
        small = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 3, 3, 64, false);
        ORTHANC.upload(small.part10());
    }

    private InstancePrefetcher prefetcher() {
        return context.getRegistry().lookupByNameAndType("instancePrefetcher", InstancePrefetcher.class);
    }

    @Test
    void oneMissPrefetchesTheWholeInstanceAndEveryFrameIsThenAHit() throws Exception {
        String base = framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "");
        long jobsBefore = prefetcher().getJobs();
        long completedBefore = prefetcher().getCompleted();
        assertEquals(200, get(base + "100", "Accept", STORED).statusCode());
        Await.until(Duration.ofSeconds(10), () -> prefetcher().getCompleted() > completedBefore, "the prefetch job finishes");
        assertEquals(completedBefore + 1, prefetcher().getCompleted(), "the prefetch job finished");
        assertEquals(jobsBefore + 1, prefetcher().getJobs());

        long rawCalls = upstreamCalls().getRawFrameCalls();
        for (int first = 1; first <= 256; first += 64) {
            StringJoiner frames = new StringJoiner(",");
            for (int f = first; f < first + 64; f++) {
                frames.add(Integer.toString(f));
            }
            HttpResponse<byte[]> response = get(base + frames, "Accept", STORED);
            assertEquals(200, response.statusCode());
            List<BodyPart> parts = parts(response);
            for (int i = 0; i < 64; i++) {
                assertArrayEquals(slide.frames().get(first - 1 + i), parts.get(i).content(), "frame " + (first + i));
                assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", parts.get(i).contentType());
            }
        }
        assertEquals(rawCalls, upstreamCalls().getRawFrameCalls(), "all 256 frames came from the prefetch");
        assertEquals(prefetcher().getJobs(), jobsBefore + 1, "one job per instance");
        String metrics = new String(get("http://127.0.0.1:" + managementPort + "/observe/metrics").body());
        assertTrue(metrics.contains("dicomweb_prefetch_frames_total"), "prefetch shows in the metrics");
    }

    @Test
    void instancesBelowTheMinimumAreNotPrefetched() throws Exception {
        long jobs = prefetcher().getJobs();
        String url = framesUrl(small.studyUid(), small.seriesUid(), small.sopInstanceUid(), "2");
        assertEquals(200, get(url, "Accept", STORED).statusCode());
        assertEquals(jobs, prefetcher().getJobs(), "9 frames, below prefetch.min-frames");
    }
}
