package org.framecache.proxy;

import static org.framecache.proxy.testing.FakeDicomWebStore.multipart;
import static org.framecache.proxy.testing.TestResource.propertiesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.framecache.proxy.testing.FakeDicomWebStore;
import org.framecache.proxy.testing.FakeDicomWebStore.Answer;
import org.framecache.proxy.testing.FakeDicomWebStore.Part;
import org.framecache.proxy.testing.FakeStoreResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access log and the audit, sent to seda endpoints here so the test can read them. */
class AccessLogTest extends ProxyTestSupport {
    @RegisterExtension
    static final FakeStoreResource STORE = FakeStoreResource.own();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "Basic YWxpY2U6c2VjcmV0LXBhc3N3b3Jk";
    private final FakeDicomWebStore store = STORE.running();

    @Override
    protected Properties testProperties() {
        Properties p = propertiesOf(STORE);
        p.setProperty("access-log.endpoint", "seda:access");
        p.setProperty("access-log.format", "json");
        p.setProperty("audit.endpoint", "seda:audit");
        return p;
    }

    private JsonNode next(String endpoint) throws Exception {
        String line = consumer.receiveBody(endpoint, 5000, String.class);
        assertNotNull(line, "a line on " + endpoint);
        assertFalse(line.contains("YWxpY2U") || line.contains("secret") || line.contains("Basic"), "no credentials: " + line);
        return JSON.readTree(line);
    }

    @Test
    void everyRequestIsLoggedAndEveryInstanceServedIsAudited() throws Exception {
        store.answerFrames(Answer.of(200, "multipart/related; boundary=a", multipart("a", true,
                new Part("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", "tile".getBytes()))));
        String url = framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.5", "7");

        assertEquals(200, get(url, "Accept", STORED, "Authorization", SECRET).statusCode());
        JsonNode miss = next("seda:access");
        assertEquals("GET", miss.get("method").asText());
        assertEquals("/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/7", miss.get("path").asText());
        assertEquals(200, miss.get("status").asInt());
        assertEquals("upstream", miss.get("tier").asText());
        String caller = miss.get("caller").asText();
        assertTrue(caller.matches("[0-9a-f]{32}"), "an HMAC fingerprint: " + caller);
        JsonNode audit = next("seda:audit");
        assertEquals("1.2.3.4.5", audit.get("instance").asText());
        assertEquals(7, audit.get("frames").get(0).asInt());
        assertEquals(caller, audit.get("caller").asText());

        assertEquals(200, get(url, "Accept", STORED, "Authorization", SECRET).statusCode());
        assertEquals("cache", next("seda:access").get("tier").asText());
        assertEquals("cache", next("seda:audit").get("tier").asText(), "cache hits are audited too");

        assertEquals(400, get(framesUrl("1.2.3", "1.2.3.4", "1.2.3.4.5", "0")).statusCode());
        JsonNode bad = next("seda:access");
        assertEquals(400, bad.get("status").asInt());
        assertEquals("anonymous", bad.get("caller").asText());
        assertNull(consumer.receiveBody("seda:audit", 300, String.class), "no pixel data, no audit line");

        assertEquals(200, get("http://127.0.0.1:" + proxyPort + "/dicomweb/studies/1.2.3/metadata", "Authorization", SECRET)
                .statusCode());
        JsonNode passThrough = next("seda:access");
        assertEquals("passthrough", passThrough.get("tier").asText());
        assertEquals(caller, passThrough.get("caller").asText(), "same caller, same fingerprint");
    }
}
