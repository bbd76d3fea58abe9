package org.framecache.proxy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.Main;

/**
 * Starts the proxy: Camel Main with the routes in YAML. Routes are read from {@code PROXY_ROUTES_DIR} (or
 * {@code -Dproxy.routes-dir}) when set, else from ./routes when it exists, else from the copy inside the jar.
 */
public final class ProxyMain {
    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(ProxyConfiguration.class);
        main.configure().withRoutesIncludePattern(routesIncludePattern());
        main.run(args);
    }

    static String routesIncludePattern() {
        String dir = System.getProperty("proxy.routes-dir", System.getenv("PROXY_ROUTES_DIR"));
        if (dir == null && Files.isDirectory(Path.of("routes"))) {
            dir = "routes";
        }
        return dir == null ? "classpath:routes/*.camel.yaml" : "file:" + dir + "/*.camel.yaml";
    }
}
