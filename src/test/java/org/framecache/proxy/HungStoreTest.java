package org.framecache.proxy;

import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hung store (real Orthanc, SIGSTOP: its port accepts connections, nothing answers): a frame of an instance the
 * proxy has never seen gets 504 within 10 s with the default deadline, and the store answers again after SIGCONT.
 * Uses its own Orthanc, since it stops it.
 */
class HungStoreTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.own();

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC); // proxy.upstream-deadline-ms: the shipped default
    }

    /** Running again if a failed test left it suspended, for the resource to stop it. */
    @AfterAll
    void resumeOrthanc() {
        ORTHANC.running().resume();
    }

    @Test
    void aNeverSeenInstanceOfAHungStoreGets504WithinTenSeconds() throws Exception {
        GeneratedInstance slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 4, 64, false);
        ORTHANC.upload(slide.part10());
        String url = framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "3");

        ORTHANC.running().suspend();
        long start = System.nanoTime();
        HttpResponse<byte[]> hung = get(url, "Accept", STORED);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ORTHANC.running().resume();

        System.out.printf("hung Orthanc: %d after %d ms (%s)%n", hung.statusCode(), millis, new String(hung.body()).strip());
        assertEquals(504, hung.statusCode(), new String(hung.body()));
        assertTrue(new String(hung.body()).startsWith("upstream store did not answer in time"), new String(hung.body()));
        assertTrue(millis < 10_000, millis + " ms");
        HttpResponse<byte[]> after = get(url, "Accept", STORED);
        assertEquals(200, after.statusCode(), "the same request once the store answers again: " + new String(after.body()));
    }
}
