package org.framecache.proxy.server;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;

/**
 * The routes {@link InProcessHits} stands in for, and whether the running ones are those it was checked against.
 * It answers some requests exactly as the frames and rendered routes would, with the access route's decisions, so it
 * may do so only while {@link #FILES} are as they were: {@link #FINGERPRINT}, a SHA-256 of those files (comments,
 * blank lines and trailing spaces aside, so an edited comment changes nothing). An edit of one of them, in a mounted
 * directory or in {@code routes/} before a rebuild of the jar, turns it off, and so do live reload and an
 * interceptor in any other route file (it would see these routes too). The other files (pass-through, prefetch,
 * fetching from the store, the error policy) change nothing a hit answers and may be edited freely.
 *
 * <p>{@code StandInRoutesTest} fails when one of {@link #FILES} changes and {@link #FINGERPRINT} does not: whoever
 * changes them checks {@link InProcessHits} against them and then sets the new fingerprint.
 */
public final class StandInRoutes {
    /** frames and rendered: the routes a hit answers for; access: the decisions a hit relies on. */
    public static final List<String> FILES = List.of("access.camel.yaml", "frames.camel.yaml", "rendered.camel.yaml");
    static final String FINGERPRINT = "8db7cd2ef41e526c15468af655d06aa4ca577c25849ef98a5f0e4592e07a185b";
    /** intercept, interceptFrom, interceptSendToEndpoint: each applies to every route, these too. */
    private static final Pattern INTERCEPTOR = Pattern.compile("^\\s*(-\\s*)?intercept\\w*\\s*:", Pattern.MULTILINE);

    private StandInRoutes() {
    }

    /** Null when the running routes are the known ones; else why not, for the log. */
    public static String differences(CamelContext context, String routeFiles) {
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
            return differences(directories.isEmpty() ? packaged(context, routeFiles)
                    : files(directories.iterator().next(), routeFiles));
        } catch (Exception e) {
            return "cannot read the route files: " + e.getMessage();
        }
    }

    /** Null when these route files (name → text) hold the known stand-in routes and no interceptor elsewhere. */
    static String differences(Map<String, String> routeFiles) {
        for (Map.Entry<String, String> file : routeFiles.entrySet()) {
            if (!FILES.contains(file.getKey()) && INTERCEPTOR.matcher(normalized(file.getValue())).find()) {
                return "the route file " + file.getKey() + " has an interceptor";
            }
        }
        Map<String, String> standIn = standIn(routeFiles);
        if (!standIn.keySet().containsAll(FILES)) {
            return "the route files " + FILES + " are not all there";
        }
        String fingerprint = fingerprint(standIn);
        return fingerprint.equals(FINGERPRINT) ? null
                : "the route files " + FILES + " are not the ones in-process hits were checked against"
                        + " (fingerprint " + fingerprint.substring(0, 12) + "...)";
    }

    /** Of the route files (name → text), those of {@link #FILES}. */
    static Map<String, String> standIn(Map<String, String> routeFiles) {
        Map<String, String> standIn = new TreeMap<>(routeFiles);
        standIn.keySet().retainAll(FILES);
        return standIn;
    }

    /** The route files of a directory, as Camel reads them (regular, not hidden). */
    static Map<String, String> files(Path directory, String routeFiles) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (var listing = Files.newDirectoryStream(directory, routeFiles)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.startsWith(".")) {
                    files.put(name, Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private static Map<String, String> packaged(CamelContext context, String routeFiles) throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (Resource resource : PluginHelper.getPackageScanResourceResolver(context)
                .findResources("classpath:routes/" + routeFiles)) {
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
