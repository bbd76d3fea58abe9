package org.framecache.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the proxy: Camel Main with the routes in YAML. Routes are read from {@code PROXY_ROUTES_DIR} (or
 * {@code -Dproxy.routes-dir}) when set, else from ./routes when it holds routes, else from the copy inside the jar.
 * A configured directory that does not exist or holds no {@code *.camel.yaml} stops the start, rather than a proxy
 * with no routes.
 *
 * <p>Live reload ({@code camel.main.routes-reload-enabled=true}, off by default, for development) always watches
 * the directory the routes were read from, for {@code *.camel.yaml}; it cannot be pointed elsewhere, and with the
 * routes from the jar there is nothing to watch, so it stops the start.
 */
public final class ProxyMain {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyMain.class);

    /** The route files, in a routes directory and in the jar. */
    public static final String ROUTE_FILES = "*.camel.yaml";
    static final String ROUTES_DIR_PROPERTY = "proxy.routes-dir";
    static final String ROUTES_DIR_ENV = "PROXY_ROUTES_DIR";
    static final String JAR_ROUTES = "classpath:routes/" + ROUTE_FILES;
    /**
     * The configurations binding the beans the routes call, in the order they run: each {@code configure} may use
     * what the ones before it bound (every {@code @BindToRegistry} bean is bound before the first {@code configure}).
     */
    public static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(
            LocalStoreConfiguration.class, UpstreamConfiguration.class, CacheConfiguration.class,
            AccessConfiguration.class, FramesConfiguration.class, RenderConfiguration.class, ServerConfiguration.class,
            ObservabilityConfiguration.class);

    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        application(routesDirectory()).run(args);
    }

    /** Adds {@link #CONFIGURATIONS}, in order, to an application (as tests and the demo boot it too). */
    public static void addConfigurations(MainConfigurationProperties configuration) {
        CONFIGURATIONS.forEach(configuration::addConfiguration);
    }

    /**
     * The application as {@link #main} runs it: the {@link #CONFIGURATIONS}, the routes from {@code routesDirectory}
     * (null: the jar's), live reload (when switched on) bound to that directory. Not started.
     *
     * @throws IllegalStateException when the directory does not exist or holds no {@code *.camel.yaml}
     */
    public static Main application(Path routesDirectory) {
        Path directory = routesDirectory == null ? null : checkedRoutesDirectory(routesDirectory);
        String pattern = routesIncludePattern(directory);
        Main main = new Main();
        addConfigurations(main.configure());
        main.configure().withRoutesIncludePattern(pattern);
        if (directory != null) {
            // override properties win over application.properties, the environment and -D: live reload, when on,
            // watches exactly the directory the routes came from
            main.addOverrideProperty("camel.main.routes-reload-directory", directory.toString());
            main.addOverrideProperty("camel.main.routes-reload-pattern", ROUTE_FILES);
        }
        main.addMainListener(new ReloadCheck(directory));
        LOG.info("Routes from {}", pattern);
        return main;
    }

    /**
     * Where the routes are read from: {@code -Dproxy.routes-dir}, else {@code PROXY_ROUTES_DIR}, else ./routes when
     * it holds route files; null for the copy in the jar. A configured directory is returned as configured, checked
     * by {@link #application}.
     */
    public static Path routesDirectory() {
        String configured = System.getProperty(ROUTES_DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ROUTES_DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        Path local = Path.of("routes");
        return Files.isDirectory(local) && holdsRoutes(local) ? local : null;
    }

    /** The include pattern Camel Main loads the routes with; null directory: the jar's routes. */
    public static String routesIncludePattern(Path routesDirectory) {
        if (routesDirectory == null) {
            return JAR_ROUTES;
        }
        return "file:" + routesDirectory.toAbsolutePath().normalize() + "/" + ROUTE_FILES;
    }

    private static Path checkedRoutesDirectory(Path configured) {
        Path directory = configured.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("Routes directory " + directory + " (" + ROUTES_DIR_ENV + " or -D"
                    + ROUTES_DIR_PROPERTY + ") does not exist or is not a directory; not starting without routes");
        }
        if (!holdsRoutes(directory)) {
            throw new IllegalStateException("Routes directory " + directory + " (" + ROUTES_DIR_ENV + " or -D"
                    + ROUTES_DIR_PROPERTY + ") holds no " + ROUTE_FILES + "; not starting without routes");
        }
        return directory;
    }

    private static boolean holdsRoutes(Path directory) {
        return !routeFiles(directory).isEmpty();
    }

    private static List<Path> routeFiles(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> routes = Files.newDirectoryStream(directory, ROUTE_FILES)) {
            for (Path route : routes) {
                if (Files.isRegularFile(route)) {
                    files.add(route);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the routes directory " + directory, e);
        }
    }

    /** After the properties are applied: live reload only of the directory the routes came from. */
    private static final class ReloadCheck extends MainListenerSupport {
        private final Path directory;

        ReloadCheck(Path directory) {
            this.directory = directory;
        }

        @Override
        public void afterConfigure(BaseMainSupport main) {
            MainConfigurationProperties configuration = main.configure();
            if (!configuration.isRoutesReloadEnabled()) {
                return;
            }
            if (directory == null) {
                throw new IllegalStateException("camel.main.routes-reload-enabled is on, but the routes come from the"
                        + " jar, which cannot be watched: set " + ROUTES_DIR_ENV + " to the routes directory");
            }
            // Camel Main's watcher stays the one watcher, on the routes directory whatever else was configured
            // (an environment variable wins over override properties); what it does on a change is ours
            CamelContext context = main.getCamelContext();
            RouteWatcherReloadStrategy watcher = context.hasService(RouteWatcherReloadStrategy.class);
            if (watcher == null) {
                throw new IllegalStateException("live reload is on, but Camel Main set up no route watcher");
            }
            Path configured = Path.of(configuration.getRoutesReloadDirectory()).toAbsolutePath().normalize();
            if (!configured.equals(directory)) {
                LOG.warn("camel.main.routes-reload-directory {} ignored: live reload watches the routes directory {}",
                        configured, directory);
            }
            watcher.setFolder(directory.toString());
            watcher.setRecursive(false);
            watcher.setPattern(ROUTE_FILES);
            DirectoryReload reload = new DirectoryReload(directory, configuration.isRoutesReloadRemoveAllRoutes());
            reload.setCamelContext(context);
            watcher.setResourceReload((name, resource) -> reload.reloadAll());
            LOG.info("Live route reload on (development): changes to {}/{} replace the running routes", directory,
                    ROUTE_FILES);
        }
    }

    /**
     * What a change in the routes directory does: reload every route file in it, once. Camel 4.14's own reaction,
     * when it removes all routes first (the default), loads a file again once per route the file holds
     * (fetch-frames.camel.yaml holds two) and the reload fails on a duplicate route id; given every route file at
     * once, it loads each exactly once (and drops the routes of a deleted file). Not a watcher itself: Camel Main's
     * watcher calls it.
     */
    private static final class DirectoryReload extends RouteWatcherReloadStrategy {
        private final Path directory;

        DirectoryReload(Path directory, boolean removeAllRoutes) {
            super(directory.toString(), false);
            this.directory = directory;
            setPattern(ROUTE_FILES);
            setRemoveAllRoutes(removeAllRoutes);
        }

        void reloadAll() {
            List<Resource> all = new ArrayList<>();
            for (Path file : routeFiles(directory)) {
                all.add(PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + file));
            }
            LOG.info("Reloading the routes from {}/{} ({} file(s))", directory, ROUTE_FILES, all.size());
            onRouteReload(all, false);
            restartInStartupOrder();
        }

        /**
         * The reload starts routes in no particular order, but the HTTP server matches paths in the order routes
         * started: the prefix-wide pass-through would take the rendered endpoint's requests. Restart the routes with
         * a startup order in that order, as at start.
         */
        private void restartInStartupOrder() {
            List<Route> ordered = getCamelContext().getRoutes().stream()
                    .filter(route -> route.getStartupOrder() != null)
                    .sorted(Comparator.comparing(Route::getStartupOrder))
                    .toList();
            try {
                for (Route route : ordered) {
                    getCamelContext().getRouteController().stopRoute(route.getRouteId());
                }
                for (Route route : ordered) {
                    getCamelContext().getRouteController().startRoute(route.getRouteId());
                }
            } catch (Exception e) {
                LOG.warn("Routes reloaded, but not restarted in startup order: {}", e.toString());
            }
        }
    }
}
