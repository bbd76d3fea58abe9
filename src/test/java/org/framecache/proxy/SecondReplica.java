package org.framecache.proxy;

import java.util.Map;

import org.apache.camel.main.Main;
import org.framecache.proxy.testing.FreePorts;

/**
 * A second replica of the proxy in this JVM, in front of the same store, started with the repository's routes and
 * these properties (its cache settings, to share a Redis with the test's own replica); prefetch off, as the tests'.
 */
final class SecondReplica implements AutoCloseable {
    final Main main = new Main();
    final int port = FreePorts.loopback();

    SecondReplica(String upstreamUrl, Map<String, String> properties) throws Exception {
        ProxyMain.addConfigurations(main.configure());
        main.configure().withRoutesIncludePattern("file:routes/*.camel.yaml");
        main.addOverrideProperty("proxy.upstream-url", upstreamUrl);
        main.addOverrideProperty("prefetch.enabled", "false");
        properties.forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.host", "127.0.0.1");
        main.addOverrideProperty("camel.management.port", Integer.toString(FreePorts.loopback()));
        main.start();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
