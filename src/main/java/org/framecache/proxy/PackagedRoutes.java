package org.framecache.proxy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;

/**
 * Are the routes running the ones packaged in the jar? True when they were loaded from the jar, or from a
 * directory whose route files are exactly the jar's (comments, blank lines and trailing spaces aside: an edit to a
 * comment changes nothing). Anything else, or live reload (the routes may change at any time), is false. What
 * answers before a route ({@link InProcessHits}) relies on it, so that an edited request path is never bypassed.
 */
final class PackagedRoutes {
    static final String PACKAGED = "classpath:routes/" + ProxyMain.ROUTE_FILES;

    private PackagedRoutes() {
    }

    /** Null when the running routes are the packaged ones; else why not, for the log. */
    static String differences(CamelContext context) {
        if (context.hasService(RouteWatcherReloadStrategy.class) != null) {
            return "live reload is on";
        }
        Set<Path> directories = new HashSet<>();
        for (Route route : context.getRoutes()) {
            Resource source = route.getSourceResource();
            String location = source == null ? null : source.getLocation();
            if (location == null || location.startsWith("classpath:") || location.contains("!/")) {
                continue; // the jar's own (inside an archive: not editable), or a route not read from a file
            }
            if (!location.startsWith("file:")) {
                return "route " + route.getRouteId() + " comes from " + location;
            }
            directories.add(Path.of(location.substring("file:".length())).toAbsolutePath().normalize().getParent());
        }
        if (directories.size() > 1) {
            return "the routes come from several directories " + directories;
        }
        if (directories.isEmpty()) {
            return null;
        }
        Path directory = directories.iterator().next();
        try {
            Map<String, String> running = new TreeMap<>();
            try (var files = Files.newDirectoryStream(directory, ProxyMain.ROUTE_FILES)) {
                for (Path file : files) {
                    running.put(file.getFileName().toString(), normalized(Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
            Map<String, String> packaged = packaged(context);
            if (!running.keySet().equals(packaged.keySet())) {
                return directory + " holds " + running.keySet() + ", the jar " + packaged.keySet();
            }
            Set<String> edited = running.keySet().stream().filter(name -> !running.get(name).equals(packaged.get(name)))
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            return edited.isEmpty() ? null : "edited in " + directory + ": " + String.join(", ", edited);
        } catch (Exception e) {
            return "cannot compare the routes in " + directory + " with the jar's: " + e.getMessage();
        }
    }

    private static Map<String, String> packaged(CamelContext context) throws Exception {
        Collection<Resource> resources = PluginHelper.getPackageScanResourceResolver(context).findResources(PACKAGED);
        Map<String, String> packaged = new TreeMap<>();
        for (Resource resource : resources) {
            String location = resource.getLocation();
            String name = location.substring(location.lastIndexOf('/') + 1);
            try (InputStream in = resource.getInputStream()) {
                packaged.put(name, normalized(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return packaged;
    }

    /** The text without comment lines, blank lines and trailing spaces. */
    static String normalized(String yaml) {
        return yaml.lines().map(String::stripTrailing).filter(line -> !line.isEmpty() && !line.strip().startsWith("#"))
                .collect(Collectors.joining("\n"));
    }
}
