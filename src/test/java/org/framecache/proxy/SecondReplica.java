package org.framecache.proxy;

import java.util.Properties;

import org.apache.camel.main.Main;
import org.framecache.proxy.testing.FreePorts;

/**
 * A second replica of the proxy in this JVM, started with the repository's routes and these properties (the test's
 * own {@code testProperties()}: the same store, and a Redis shared with the test's own replica); prefetch off, as the
 * tests'.
 */
final class SecondReplica implements AutoCloseable {
    final Main main = new Main();
    final int port = FreePorts.loopback();

    SecondReplica(Properties properties) throws Exception {
        ProxyMain.addConfigurations(main.configure());
        main.configure().withRoutesIncludePattern("file:routes/*.camel.yaml");
        main.addOverrideProperty("prefetch.enabled", "false");
        properties.stringPropertyNames().forEach(name -> main.addOverrideProperty(name, properties.getProperty(name)));
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
