package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole-instance prefetch against the real Orthanc with prefetch.max-instance-bytes at 1 MiB: an instance under
 * it is read as a stream and every frame cached; a native one over it (known from its metadata) is never
 * downloaded; a compressed one, once its stored syntax is known, is started and stopped by the answer's length.
 */
class PrefetchLimitsTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.shared();

    private static final int LIMIT = 1 << 20;
    private GeneratedInstance under;
    private GeneratedInstance nativeOver;
    private GeneratedInstance jpegOver;

    @Override
    protected Properties testProperties() {
        Properties properties = propertiesOf(ORTHANC);
        properties.setProperty("prefetch.enabled", "true");
        properties.setProperty("prefetch.min-frames", "16");
        properties.setProperty("prefetch.max-instance-bytes", Integer.toString(LIMIT));
        return properties;
    }

    @BeforeAll
    void upload() {
        under = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 16, 64, 64, true);
        nativeOver = SlideGenerator.nativeInstance(SlideGenerator.newUid(), SlideGenerator.newUid(), 16, 256, 256, true);
        jpegOver = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 16, 16, 256, false);
        assertTrue(under.part10().length < LIMIT && nativeOver.part10().length > 3 * LIMIT
                && jpegOver.part10().length > LIMIT, "instance sizes around the limit");
        List.of(under, nativeOver, jpegOver).forEach(i -> ORTHANC.upload(i.part10()));
    }

    private InstancePrefetcher prefetcher() {
        return context.getRegistry().lookupByNameAndType("instancePrefetcher", InstancePrefetcher.class);
    }

    private String url(GeneratedInstance instance, String frames) {
        return framesUrl(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid(), frames);
    }

    @Test
    void anInstanceUnderTheLimitIsReadAsAStreamAndEveryFrameCached() throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("prefetch-instance").whenDone(1).create();
        long completed = prefetcher().getCompleted();
        assertEquals(200, get(url(under, "1"), "Accept", STORED).statusCode());
        assertTrue(done.matches(20, TimeUnit.SECONDS), "the prefetch job ran");
        assertEquals(completed + 1, prefetcher().getCompleted());

        long rawCalls = upstreamCalls().getRawFrameCalls();
        HttpResponse<byte[]> all = get(url(under, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"), "Accept", STORED);
        assertEquals(200, all.statusCode());
        List<BodyPart> parts = parts(all);
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(under.frames().get(i), parts.get(i).content(), "frame " + (i + 1));
        }
        assertEquals(rawCalls, upstreamCalls().getRawFrameCalls(), "every frame came from the prefetch");
    }

    @Test
    void aNativeInstanceOverTheLimitIsNeverDownloaded() throws Exception {
        long jobs = prefetcher().getJobs();
        long tooLarge = prefetcher().getTooLarge();
        assertEquals(200, get(url(nativeOver, "1"), "Accept", STORED).statusCode());
        assertEquals(200, get(url(nativeOver, "2"), "Accept", STORED).statusCode());
        assertEquals(jobs, prefetcher().getJobs(), "no job: 16 x 256 x 256 x 3 bytes of pixel data, from the metadata");
        assertEquals(tooLarge + 2, prefetcher().getTooLarge());
    }

    @Test
    void aCompressedInstanceOverTheLimitIsStoppedByTheAnswersLength() throws Exception {
        long jobs = prefetcher().getJobs();
        long tooLarge = prefetcher().getTooLarge();
        long completed = prefetcher().getCompleted();
        // first miss: stored syntax unknown, and uncompressed it is over the limit: not now
        assertEquals(200, get(url(jpegOver, "1"), "Accept", STORED).statusCode());
        assertEquals(jobs, prefetcher().getJobs());
        // that fetch taught the stored syntax (JPEG baseline): the next miss starts a job, which the answer's
        // Content-Length stops before its body is read
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("prefetch-instance").whenDone(1).create();
        assertEquals(200, get(url(jpegOver, "2"), "Accept", STORED).statusCode());
        assertTrue(done.matches(20, TimeUnit.SECONDS), "the prefetch job ran");
        assertEquals(jobs + 1, prefetcher().getJobs());
        assertEquals(tooLarge + 2, prefetcher().getTooLarge());
        assertEquals(completed, prefetcher().getCompleted(), "nothing prefetched");
    }
}
