package org.framecache.proxy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.framecache.proxy.server.InProcessHits;

/**
 * Are the routes running the ones {@link InProcessHits} was written for? It answers some requests exactly as the
 * frames and rendered routes would, so it may do so only while the route files are the set it was checked
 * against: {@link #FINGERPRINT}, a SHA-256 of every {@code *.camel.yaml} (comments, blank lines and trailing spaces
 * aside, so an edited comment changes nothing). Any other edit, in a mounted directory or in {@code routes/} before
 * a rebuild of the jar, turns it off, and so does live reload: an edited request path is never bypassed.
 *
 * <p>{@code KnownRoutesTest} fails when {@code routes/} changes and {@link #FINGERPRINT} does not: whoever changes
 * the routes checks {@link InProcessHits} against them and then sets the new fingerprint.
 */
final class KnownRoutes {
    static final String FINGERPRINT = "6c325d094acdfbda70be25c5e6295e96c3dca9a3b47e14fd458963966c77b553";
    static final String PACKAGED = "classpath:routes/" + ProxyMain.ROUTE_FILES;

    private KnownRoutes() {
    }

    /** Null when the running routes are the known ones; else why not, for the log. */
    static String differences(CamelContext context) {
        if (context.hasService(RouteWatcherReloadStrategy.class) != null) {
            return "live reload is on";
        }
        Set<Path> directories = new HashSet<>();
        boolean packaged = false;
        for (Route route : context.getRoutes()) {
            Resource source = route.getSourceResource();
            String location = source == null ? null : source.getLocation();
            if (location == null) {
                continue; // a route not read from a file (tests add such)
            }
            if (location.startsWith("classpath:") || location.contains("!/")) {
                packaged = true;
            } else if (location.startsWith("file:")) {
                directories.add(Path.of(location.substring("file:".length())).toAbsolutePath().normalize().getParent());
            } else {
                return "route " + route.getRouteId() + " comes from " + location;
            }
        }
        if (directories.size() + (packaged ? 1 : 0) > 1) {
            return "the routes come from several places";
        }
        try {
            Map<String, String> files = directories.isEmpty() ? packaged(context) : files(directories.iterator().next());
            String fingerprint = fingerprint(files);
            return fingerprint.equals(FINGERPRINT) ? null
                    : "the route files " + files.keySet() + " are not the ones in-process hits were checked against"
                            + " (fingerprint " + fingerprint.substring(0, 12) + "...)";
        } catch (Exception e) {
            return "cannot read the route files: " + e.getMessage();
        }
    }

    /** The route files of a directory, as Camel reads them (regular, not hidden). */
    static Map<String, String> files(Path directory) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (var listing = Files.newDirectoryStream(directory, ProxyMain.ROUTE_FILES)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.startsWith(".")) {
                    files.put(name, Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private static Map<String, String> packaged(CamelContext context) throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (Resource resource : PluginHelper.getPackageScanResourceResolver(context).findResources(PACKAGED)) {
            String location = resource.getLocation();
            String name = location.substring(location.lastIndexOf('/') + 1);
            try (InputStream in = resource.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (files.containsKey(name) && !normalized(files.get(name)).equals(normalized(text))) {
                    throw new IllegalStateException("two different copies of " + name + " on the classpath");
                }
                files.put(name, text);
            }
        }
        return files;
    }

    /** SHA-256 over the files, by name, each without comment lines, blank lines and trailing spaces. */
    static String fingerprint(Map<String, String> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(files).forEach((name, text) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(normalized(text).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text without a byte-order mark, comment lines, blank lines and trailing spaces. */
    static String normalized(String yaml) {
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        return text.lines().map(String::stripTrailing).filter(line -> !line.isEmpty() && !line.strip().startsWith("#"))
                .collect(Collectors.joining("\n"));
    }
}
