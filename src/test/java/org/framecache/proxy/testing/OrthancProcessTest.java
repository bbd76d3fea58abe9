package org.framecache.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrthancProcessTest {

    @Test
    void authenticatedOrthancKeepsItsDataAcrossRestart() throws Exception {
        try (OrthancProcess orthanc = OrthancProcess.start(Map.of("alice", "secret"))) {
            HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<Void> denied = anonymous.send(
                    HttpRequest.newBuilder(URI.create(orthanc.baseUrl() + "/system")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(401, denied.statusCode());
            assertEquals(200, orthanc.get("/system", null).statusCode());

            GeneratedInstance instance = SlideGenerator.nativeInstance(
                    SlideGenerator.newUid(), SlideGenerator.newUid(), 3, 32, 32, true);
            String id = orthanc.upload(instance.part10());
            assertArrayEquals(instance.frames().get(2), orthanc.rawFrame(id, 3));

            int port = orthanc.port();
            orthanc.restart();
            assertEquals(port, orthanc.port());
            assertArrayEquals(instance.frames().get(0), orthanc.rawFrame(id, 1));
        }
    }

    @Test
    void sharedInstanceIsReusedAndOpen() {
        assertSame(OrthancProcess.shared(), OrthancProcess.shared());
        assertEquals(200, OrthancProcess.shared().get("/system", null).statusCode());
        assertEquals("http://127.0.0.1:" + OrthancProcess.shared().port() + "/dicom-web",
                OrthancProcess.shared().dicomWebUrl());
    }
}
