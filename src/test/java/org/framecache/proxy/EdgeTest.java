package org.framecache.proxy;

import static org.framecache.proxy.testing.OrthancResource.ALICE;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancResource;
import org.framecache.proxy.testing.SlideGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy's edge as an attacker tries it, against a real Orthanc with basic authentication: no path leaves the
 * DICOMweb resources, no method the resource does not take reaches the store, no query parameter stands in for a
 * header, and forwarding headers from an untrusted peer change nothing. Each case checks what the store saw (the
 * proxy's upstream call count, and the instance still stored) as well as what the client saw.
 */
class EdgeTest extends ProxyTestSupport {
    @RegisterExtension
    static final OrthancResource ORTHANC = OrthancResource.withAliceAndBob();

    private GeneratedInstance slide;
    private String orthancId;

    @Override
    protected Properties testProperties() {
        return propertiesOf(ORTHANC);
    }

    @BeforeAll
    void upload() {
        slide = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 2, 2, 256, false);
        orthancId = ORTHANC.upload(slide.part10());
    }

    private String instancePath() {
        return "/dicomweb/studies/" + slide.studyUid() + "/series/" + slide.seriesUid() + "/instances/" + slide.sopInstanceUid();
    }

    /** One request sent exactly as written (no client-side normalization of the path); the whole answer. */
    private String raw(String method, String target, String... headerLines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("Authorization: ").append(ALICE).append("\r\nConnection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    private boolean stillStored() {
        return ORTHANC.running().get("/instances/" + orthancId, null).statusCode() == 200;
    }

    @Test
    void noPathLeavesTheDicomWebResources() throws Exception {
        long calls = upstreamCalls().getTotal();
        List<String> attacks = List.of("/dicomweb/..%2fsystem", "/dicomweb/..%2Finstances", "/dicomweb/%2e%2e%2fsystem",
                "/dicomweb/..\\system", "/dicomweb/..%5csystem", "/dicomweb/%2F..%2F..%2Fsystem", "/dicomweb/..%2ftools/find",
                "/dicomweb/..%2finstances/" + orthancId + "/frames/0/raw", "/dicomweb/studies/..%2f..%2finstances",
                "/dicomweb/studies/" + slide.studyUid() + "%2f..%2f..%2f..%2fsystem", "/dicomweb/system",
                "/dicomweb/instances/" + orthancId + "/frames/0/raw", "/dicomweb//system", "/dicomweb/studies/%zz");
        for (String target : attacks) {
            String answer = raw("GET", target);
            int status = status(answer);
            assertTrue(status == 400 || status == 404, target + " -> " + answer.lines().findFirst().orElse(""));
            assertFalse(answer.contains("\"DicomAet\"") || answer.contains("\"ApiVersion\""), "Orthanc's /system never shows: " + target);
        }
        for (String target : List.of("/dicomweb/..%2finstances/" + orthancId, "/dicomweb/%2e%2e%2finstances/" + orthancId)) {
            int status = status(raw("DELETE", target));
            assertTrue(status == 400 || status == 404, "DELETE " + target + " -> " + status);
        }
        assertEquals(400, status(raw("POST", "/dicomweb/..%2ftools/find", "Content-Type: application/json", "Content-Length: 0")),
                "POST to Orthanc's native API");
        assertEquals(calls, upstreamCalls().getTotal(), "the store was never asked");
        assertTrue(stillStored(), "the instance survived every DELETE");
    }

    @Test
    void methodsAreThoseTheResourceTakes() throws Exception {
        long calls = upstreamCalls().getTotal();
        String delete = raw("DELETE", instancePath());
        assertEquals(405, status(delete), delete);
        assertTrue(delete.toLowerCase().contains("allow: get, head"), delete);
        assertEquals(405, status(raw("PUT", instancePath() + "/metadata", "Content-Length: 0")));
        assertEquals(405, status(raw("POST", instancePath() + "/frames/1", "Content-Length: 0")));
        assertEquals(405, status(raw("PATCH", "/dicomweb/studies", "Content-Length: 0")));
        assertEquals(calls, upstreamCalls().getTotal(), "refused before the store");
        assertTrue(stillStored());
    }

    @Test
    void queryParametersNeverStandInForHeaders() throws Exception {
        String query = "?Authorization=" + ALICE.replace(" ", "%20");
        HttpResponse<byte[]> frames = get(framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "1") + query,
                "Accept", STORED);
        assertEquals(401, frames.statusCode(), "credentials in the query are not credentials");
        HttpResponse<byte[]> search = get("http://127.0.0.1:" + proxyPort + "/dicomweb/studies" + query);
        assertEquals(401, search.statusCode());

        // Camel's own headers from the query change neither the call nor the path
        long passThrough = upstreamCalls().getPassThroughCalls();
        HttpResponse<byte[]> steered = get("http://127.0.0.1:" + proxyPort + "/dicomweb/studies?StudyInstanceUID=" + slide.studyUid()
                + "&CamelHttpPath=/system&CamelHttpUri=http://127.0.0.1:" + ORTHANC.running().port() + "/system&CamelHttpQuery=x"
                + "&Content-Type=text/evil", "Authorization", ALICE);
        assertEquals(200, steered.statusCode(), new String(steered.body()));
        assertTrue(new String(steered.body()).contains(slide.studyUid()), "still the search asked for");
        assertEquals(passThrough + 1, upstreamCalls().getPassThroughCalls());
    }

    @Test
    void forwardingHeadersFromAnyoneChangeNoContentLocation() throws Exception {
        HttpResponse<byte[]> response = get(framesUrl(slide.studyUid(), slide.seriesUid(), slide.sopInstanceUid(), "2"),
                "Accept", STORED, "Authorization", ALICE, "X-Forwarded-Host", "evil.example/phish?",
                "X-Forwarded-Proto", "javascript", "Forwarded", "proto=javascript;host=evil.example");
        assertEquals(200, response.statusCode());
        BodyPart part = parts(response).get(0);
        String location = part.headers().get("content-location");
        assertTrue(location.startsWith("http://127.0.0.1:" + proxyPort + "/dicomweb/studies/"), location);
    }

    @Test
    void corsPreflightOffersOnlyTheResourcesMethods() throws Exception {
        String instance = raw("OPTIONS", instancePath(), "Origin: https://viewer.example.org", "Access-Control-Request-Method: GET");
        String allowed = allowMethods(instance);
        assertTrue(allowed.contains("GET") && !allowed.contains("DELETE") && !allowed.contains("PUT") && !allowed.contains("POST"),
                instance);
        String studies = allowMethods(raw("OPTIONS", "/dicomweb/studies", "Origin: https://viewer.example.org",
                "Access-Control-Request-Method: POST"));
        assertTrue(studies.contains("POST") && !studies.contains("DELETE"), studies);
    }

    private static String allowMethods(String answer) {
        return answer.lines().filter(l -> l.toLowerCase().startsWith("access-control-allow-methods:")).findFirst()
                .orElse("").toUpperCase();
    }
}
