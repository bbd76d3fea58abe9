package org.framecache.proxy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.testing.FreePorts;
import org.framecache.proxy.upstream.UpstreamCallCounter;
import org.junit.jupiter.api.TestInstance;

/**
 * Boots the real application (ProxyMain.CONFIGURATIONS + the YAML in routes/) on a free loopback port, one context per
 * test class; subclasses say which store and cache it talks to by overriding properties, never routes: they declare
 * those as {@link org.framecache.proxy.testing.TestResource}s and return their properties from
 * {@link #testProperties()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProxyTestSupport extends CamelMainTestSupport {
    protected static final String STORED = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Assigned in {@link #useOverridePropertiesWithPropertiesComponent()}, which CamelTestSupport calls from its
     * constructor, before field initializers run: so no initializer here, or it would be reset afterwards.
     */
    protected int proxyPort;
    protected int managementPort;

    /**
     * Properties this test changes; upstream and cache at least, usually {@code propertiesOf(STORE, REDIS)} of its
     * resources. Called from the constructor (see {@link #proxyPort}): a resource starts when asked for them.
     */
    protected abstract Properties testProperties();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        ProxyMain.addConfigurations(configuration);
        configuration.withRoutesIncludePattern("file:routes/*.camel.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        if (proxyPort == 0) {
            proxyPort = FreePorts.loopback();
            managementPort = FreePorts.loopback();
        }
        Properties properties = new Properties();
        properties.setProperty("camel.server.host", "127.0.0.1");
        properties.setProperty("camel.server.port", Integer.toString(proxyPort));
        properties.setProperty("camel.management.host", "127.0.0.1");
        properties.setProperty("camel.management.port", Integer.toString(managementPort));
        // background prefetch would change the upstream call counts tests assert; PrefetchTest turns it on
        properties.setProperty("prefetch.enabled", "false");
        properties.putAll(testProperties());
        return properties;
    }

    protected String framesUrl(String study, String series, String sop, String frames) {
        return "http://127.0.0.1:" + proxyPort + "/dicomweb/studies/" + study + "/series/" + series + "/instances/"
                + sop + "/frames/" + frames;
    }

    protected HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    protected static List<BodyPart> parts(HttpResponse<byte[]> response) {
        String contentType = response.headers().firstValue("Content-Type").orElseThrow();
        Iterator<BodyPart> it = new MultipartRelatedReader(64 << 20)
                .parts(new ByteArrayInputStream(response.body()), contentType);
        List<BodyPart> parts = new ArrayList<>();
        it.forEachRemaining(parts::add);
        return parts;
    }

    protected UpstreamCallCounter upstreamCalls() {
        return context.getRegistry().lookupByNameAndType("upstreamCalls", UpstreamCallCounter.class);
    }
}
