package org.framecache.proxy.demo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.Main;
import org.framecache.proxy.ProxyMain;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.SlideGenerator;

/**
 * The README's first command: one process, no store to install. A generated slide (a 1024-frame and a 64-frame
 * JPEG level) is written to target/demo-slide as DICOM files, and the proxy serves them with that folder as its
 * store (local-store.folder) and its embedded in-process cache. Set REDIS_URL to use a Redis as well,
 * PROXY_PORT to change the port (default 8080).
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        String port = System.getenv().getOrDefault("PROXY_PORT", "8080");
        System.out.println("Generating a sample slide...");
        String study = SlideGenerator.newUid();
        String series = SlideGenerator.newUid();
        GeneratedInstance large = SlideGenerator.jpegWsi(study, series, 32, 32, 256, true);
        GeneratedInstance small = SlideGenerator.jpegWsi(study, series, 8, 8, 256, true);
        Path folder = Path.of("target", "demo-slide");
        Files.createDirectories(folder);
        try (var old = Files.list(folder)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        Files.write(folder.resolve("level-1.dcm"), large.part10());
        Files.write(folder.resolve("level-2.dcm"), small.part10());

        Main main = new Main();
        ProxyMain.addConfigurations(main.configure());
        main.configure().withRoutesIncludePattern("file:routes/*.camel.yaml");
        main.addOverrideProperty("local-store.folder", folder.toString());
        main.addOverrideProperty("camel.server.port", port);
        String redis = System.getenv("REDIS_URL");
        if (redis != null) {
            main.addOverrideProperty("cache.redis-url", redis);
        }
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void afterStart(org.apache.camel.main.BaseMainSupport ignored) {
                String base = "http://localhost:" + port + "/dicomweb/studies/" + study + "/series/" + series + "/instances/";
                System.out.printf("""

                        Proxy ready on http://localhost:%s/dicomweb, serving the DICOM files in %s
                        Sample slide: study %s
                          level 1: %d frames of 256x256 JPEG (%.1f MB), instance %s
                          level 2: %d frames, instance %s

                        Try (run it twice: the second answer comes from the cache):
                          curl -s -o frame.multipart -w '%%{http_code} %%{time_total}s\\n' \\
                            -H 'Accept: multipart/related; type="application/octet-stream"; transfer-syntax=*' \\
                            %s%s/frames/1
                          curl -s -o tile.jpg %s%s/frames/1/rendered

                        Ctrl-C stops the proxy.
                        """, port, folder.toAbsolutePath(), study, large.numberOfFrames(), large.part10().length / 1e6,
                        large.sopInstanceUid(), small.numberOfFrames(), small.sopInstanceUid(),
                        base, large.sopInstanceUid(), base, small.sopInstanceUid());
            }
        });
        main.run(args);
    }
}
