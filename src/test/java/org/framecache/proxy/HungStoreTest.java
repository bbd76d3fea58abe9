package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancProcess;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A hung store (real Orthanc, SIGSTOP: its port accepts connections, nothing answers): a frame of an instance the
 * proxy has never seen gets 504 within 10 s with the default deadline, and the store answers again after SIGCONT.
 * Uses its own Orthanc, since it stops it.
 */
class HungStoreTest extends ProxyTestSupport {
    private OrthancProcess orthanc;

    @Override
    protected Properties testProperties() {
        orthanc = OrthancProcess.start(Map.of());
        Properties p = new Properties();
        p.setProperty("proxy.upstream-url", orthanc.dicomWebUrl());
        return p; // proxy.upstream-deadline-ms: the shipped default
    }

    @AfterAll
    void stopOrthanc() {
        orthanc.resume();
        orthanc.close();
    }

    @Test
    void aNeverSeenInstanceOfAHungStoreGets504WithinTenSeconds() throws Exception {
        GeneratedInstance slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 4, 4, 64, false);
        orthanc.upload(slide.part10());
        String url = framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "3");

        orthanc.suspend();
        long start = System.nanoTime();
        HttpResponse<byte[]> hung = get(url, "Accept", STORED);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        orthanc.resume();

        System.out.printf("hung Orthanc: %d after %d ms (%s)%n", hung.statusCode(), millis, new String(hung.body()).strip());
        assertEquals(504, hung.statusCode(), new String(hung.body()));
        assertTrue(new String(hung.body()).startsWith("upstream store did not answer in time"), new String(hung.body()));
        assertTrue(millis < 10_000, millis + " ms");
        HttpResponse<byte[]> after = get(url, "Accept", STORED);
        assertEquals(200, after.statusCode(), "the same request once the store answers again: " + new String(after.body()));
    }
}
