package org.framecache.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Keeps k8s/ in step with the application: ports, health paths, routes directory and setting names are read from
 * the same files the proxy reads (application.properties, routes/), so a change on either side that breaks the
 * deployment fails here instead of in a cluster. k8s/ is k8s/base (the manifests) applied by k8s/kustomization.yaml,
 * overlays in k8s/overlays, and every one of them renders with kustomize's default settings.
 */
class ManifestsTest {
    private static final Path K8S_ROOT = Path.of("k8s");
    private static final Path K8S = K8S_ROOT.resolve("base");
    private static final Path ROUTES_COMPONENT = K8S_ROOT.resolve("components/routes-from-configmap");
    private static final Path EXTERNAL_REDIS_OVERLAY = K8S_ROOT.resolve("overlays/external-redis-tls");
    private static final Path ROUTES = Path.of("routes");
    private static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    private static final String APP = "dicomweb-frame-cache";
    private static final String ROUTES_CONFIGMAP = APP + "-routes";
    private static final String CONFIG_CONFIGMAP = APP + "-config";
    private static final String SECRET = APP + "-secrets";
    private static final String PROXY_CONTAINER = "proxy";
    private static final String REDIS = APP + "-redis";
    // camel.management.health-path default in camel-main 4.14; ManagementHttpServer adds /live and /ready under it
    private static final String DEFAULT_HEALTH_PATH = "/observe/health";
    private static final List<String> RECOMMENDED_LABELS = List.of("app.kubernetes.io/name",
            "app.kubernetes.io/instance", "app.kubernetes.io/component", "app.kubernetes.io/part-of");

    @Test
    void everyManifestParsesAndNamesItsObject() throws IOException {
        List<Path> files = manifestFiles();
        assertTrue(files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet()).containsAll(
                Set.of("kustomization.yaml", "deployment.yaml", "service.yaml", "redis.yaml", "hpa.yaml", "pdb.yaml")),
                "k8s/ holds " + files);
        for (Path file : files) {
            List<Object> documents = loadAll(file);
            assertFalse(documents.isEmpty(), file + " has no document");
            for (Object document : documents) {
                assertNotNull(document, file + " has an empty document");
                Map<String, Object> object = map(document, file.toString());
                assertNonBlank(object.get("apiVersion"), file + ": apiVersion");
                assertNonBlank(object.get("kind"), file + ": kind");
                assertNonBlank(at(object, "metadata", "name"), file + ": metadata.name");
            }
        }
    }

    @Test
    void containerPortsAreTheApplicationPorts() throws IOException {
        Properties properties = applicationProperties();
        Map<String, Object> container = proxyContainer();

        Map<String, Integer> ports = containerPorts(container);
        assertEquals(Map.of(
                "http", Integer.parseInt(properties.getProperty("camel.server.port")),
                "management", Integer.parseInt(properties.getProperty("camel.management.port"))), ports);
    }

    @Test
    void probesAskTheManagementServerForLivenessAndReadiness() throws IOException {
        Properties properties = applicationProperties();
        int managementPort = Integer.parseInt(properties.getProperty("camel.management.port"));
        String healthPath = properties.getProperty("camel.management.health-path", DEFAULT_HEALTH_PATH);
        Map<String, Object> container = proxyContainer();
        Map<String, Integer> ports = containerPorts(container);

        Map<String, String> expectedPaths = Map.of(
                "startupProbe", healthPath + "/live",
                "livenessProbe", healthPath + "/live",
                "readinessProbe", healthPath + "/ready");
        expectedPaths.forEach((probe, path) -> {
            Map<String, Object> httpGet = map(at(container, probe, "httpGet"), probe + ".httpGet");
            assertEquals(path, httpGet.get("path"), probe + " path");
            assertEquals(managementPort, resolvePort(httpGet.get("port"), ports), probe + " port");
        });
    }

    /** One copy of the routes: the image runs the jar's (built from routes/); only the component mounts others. */
    @Test
    void theBaseRunsTheJarsRoutes() throws IOException {
        Map<String, Object> deployment = proxyDeployment();
        assertFalse(envNames(proxyContainer()).contains("PROXY_ROUTES_DIR"), "the base sets PROXY_ROUTES_DIR");
        assertTrue(list(at(deployment, "spec", "template", "spec", "volumes"), "volumes").stream()
                .noneMatch(v -> at(v, "configMap") != null), "the base mounts a ConfigMap");
        assertTrue(Files.readAllLines(K8S_ROOT.resolve("Containerfile")).stream()
                .noneMatch(line -> line.matches("(COPY|ADD)\\s+routes.*|ENV\\s+PROXY_ROUTES_DIR.*")),
                "the image copies routes/ beside the jar's own");
    }

    @Test
    void routesComponentMountsTheConfigMapWhereTheProxyReadsRoutes() throws IOException {
        Map<String, Object> component = map(loadAll(ROUTES_COMPONENT.resolve("kustomization.yaml")).get(0), "component");
        assertEquals("Component", component.get("kind"));
        String patchFile = (String) map(list(component.get("patches"), "patches").get(0), "patch").get("path");
        Map<String, Object> deployment = map(loadAll(ROUTES_COMPONENT.resolve(patchFile)).get(0), "patch");
        assertEquals(List.of("Deployment", APP), List.of(deployment.get("kind"), at(deployment, "metadata", "name")));
        Map<String, Object> container = containers(deployment).get(0);
        assertEquals(PROXY_CONTAINER, container.get("name"));

        String routesDir = list(container.get("env"), "env").stream()
                .map(e -> map(e, "env entry"))
                .filter(e -> "PROXY_ROUTES_DIR".equals(e.get("name")))
                .map(e -> (String) e.get("value"))
                .findFirst().orElseThrow(() -> new AssertionError("PROXY_ROUTES_DIR not set"));

        String routesVolume = list(at(deployment, "spec", "template", "spec", "volumes"), "volumes").stream()
                .map(v -> map(v, "volume"))
                .filter(v -> ROUTES_CONFIGMAP.equals(at(v, "configMap", "name")))
                .map(v -> (String) v.get("name"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume from ConfigMap " + ROUTES_CONFIGMAP));

        Map<String, Object> mount = list(container.get("volumeMounts"), "volumeMounts").stream()
                .map(m -> map(m, "volumeMount"))
                .filter(m -> routesVolume.equals(m.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("volume " + routesVolume + " is not mounted"));
        assertEquals(routesDir, mount.get("mountPath"));
        assertEquals(Boolean.TRUE, mount.get("readOnly"));
    }

    /**
     * What kustomize refuses by default, checked without kubectl: a generator's file or a patch outside its
     * kustomization's directory (other kustomizations, as resources or components, may be anywhere).
     */
    @Test
    void noKustomizationReadsAFileOutsideItsDirectory() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(K8S_ROOT)) {
            kustomizations = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertTrue(kustomizations.size() >= 5, "kustomizations: " + kustomizations);
        for (Path file : kustomizations) {
            Path directory = file.getParent().toAbsolutePath().normalize();
            Map<String, Object> kustomization = map(loadAll(file).get(0), file.toString());
            List<String> read = new ArrayList<>();
            for (String section : List.of("configMapGenerator", "secretGenerator")) {
                for (Object generator : listOrEmpty(kustomization.get(section))) {
                    for (String field : List.of("files", "envs")) {
                        listOrEmpty(map(generator, section).get(field)).forEach(f -> read.add(((String) f)
                                .replaceFirst("^[^=]*=", "")));
                    }
                }
            }
            for (Object patch : listOrEmpty(kustomization.get("patches"))) {
                Object path = map(patch, "patch").get("path");
                if (path != null) {
                    read.add((String) path);
                }
            }
            for (Object resource : listOrEmpty(kustomization.get("resources"))) {
                Path resolved = directory.resolve((String) resource).normalize();
                if (!Files.isDirectory(resolved)) {
                    read.add((String) resource);
                }
            }
            for (String name : read) {
                Path resolved = directory.resolve(name).normalize();
                assertTrue(resolved.startsWith(directory) && Files.isRegularFile(resolved),
                        file + " reads " + name + ", not a file of its own directory");
            }
        }
        assertEquals(List.of("base"), map(loadAll(K8S_ROOT.resolve("kustomization.yaml")).get(0), "k8s/")
                .get("resources"), "kubectl apply -k k8s/ applies the base");
    }

    @Test
    void proxyRunsUnprivilegedOnAReadOnlyRoot() throws IOException {
        Map<String, Object> securityContext = map(proxyContainer().get("securityContext"), "securityContext");

        assertEquals(Boolean.TRUE, securityContext.get("runAsNonRoot"));
        assertEquals(10001, securityContext.get("runAsUser"));
        assertEquals(Boolean.TRUE, securityContext.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, securityContext.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), at(securityContext, "capabilities", "drop"));
        assertEquals("RuntimeDefault", at(securityContext, "seccompProfile", "type"));
        // a read-only root still needs a writable java.io.tmpdir
        assertTrue(list(proxyContainer().get("volumeMounts"), "volumeMounts").stream()
                .anyMatch(m -> "/tmp".equals(map(m, "volumeMount").get("mountPath"))), "/tmp is not mounted");
    }

    @Test
    void deploymentRunsTheSameCommandAsTheImage() throws IOException {
        String cmd = Files.readAllLines(K8S_ROOT.resolve("Containerfile"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("CMD "))
                .findFirst().orElseThrow(() -> new AssertionError("Containerfile has no CMD"));
        List<?> imageCommand = new ObjectMapper().readValue(cmd.substring("CMD ".length()), List.class);

        assertEquals(imageCommand, proxyContainer().get("command"));
    }

    @Test
    void everyServiceTargetsANamedPortOfThePodsItSelects() throws IOException {
        List<Map<String, Object>> services = objects("Service");
        assertFalse(services.isEmpty(), "no Service");
        for (Map<String, Object> service : services) {
            String name = (String) at(service, "metadata", "name");
            Map<String, Object> selector = map(at(service, "spec", "selector"), name + " selector");
            List<Map<String, Object>> selected = objects("Deployment").stream()
                    .filter(d -> labelsMatch(selector, map(at(d, "spec", "template", "metadata", "labels"), "labels")))
                    .toList();
            assertEquals(1, selected.size(), "Service " + name + " selects " + selected.size() + " Deployments");

            Set<String> portNames = containers(selected.get(0)).stream()
                    .flatMap(c -> containerPorts(c).keySet().stream())
                    .collect(Collectors.toSet());
            for (Object port : list(at(service, "spec", "ports"), name + " ports")) {
                Object targetPort = map(port, "port").get("targetPort");
                assertTrue(targetPort instanceof String && portNames.contains(targetPort),
                        "Service " + name + " targetPort " + targetPort + " is not one of " + portNames);
            }
        }
        assertEquals(80, at(objects("Service").stream()
                .filter(s -> APP.equals(at(s, "metadata", "name"))).findFirst().orElseThrow(),
                "spec", "ports", 0, "port"));
    }

    @Test
    void deploymentCarriesTheRecommendedLabelsAndSelectsItsPods() throws IOException {
        Map<String, Object> deployment = proxyDeployment();
        Map<String, Object> labels = map(at(deployment, "metadata", "labels"), "labels");
        Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"), "pod labels");

        for (String label : RECOMMENDED_LABELS) {
            assertNonBlank(labels.get(label), "Deployment label " + label);
            assertNonBlank(podLabels.get(label), "pod label " + label);
        }
        assertTrue(labelsMatch(map(at(deployment, "spec", "selector", "matchLabels"), "selector"), podLabels));
    }

    @Test
    void autoscalerAndDisruptionBudgetTargetTheProxy() throws IOException {
        Map<String, Object> deployment = proxyDeployment();
        Map<String, Object> selector = map(at(deployment, "spec", "selector", "matchLabels"), "selector");

        Map<String, Object> hpa = single("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.get("apiVersion"));
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", APP),
                at(hpa, "spec", "scaleTargetRef"));
        assertEquals(2, at(hpa, "spec", "minReplicas"));
        assertEquals(10, at(hpa, "spec", "maxReplicas"));
        assertEquals("cpu", at(hpa, "spec", "metrics", 0, "resource", "name"));
        assertEquals(70, at(hpa, "spec", "metrics", 0, "resource", "target", "averageUtilization"));
        // utilization is measured against the request, so there must be one
        assertNotNull(at(proxyContainer(), "resources", "requests", "cpu"), "no CPU request");

        Map<String, Object> pdb = single("PodDisruptionBudget");
        assertEquals(1, at(pdb, "spec", "minAvailable"));
        assertEquals(selector, at(pdb, "spec", "selector", "matchLabels"));
    }

    @Test
    void everyConfiguredVariableIsAnApplicationProperty() throws IOException {
        Set<String> variables = applicationProperties().stringPropertyNames().stream()
                .map(key -> key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                .collect(Collectors.toSet());

        Set<String> configured = new TreeSet<>();
        for (Map<String, Object> generator : List.of(generator("configMapGenerator", CONFIG_CONFIGMAP),
                generator("secretGenerator", SECRET))) {
            assertEquals(Set.of("name", "literals"), generator.keySet(),
                    generator.get("name") + ": only literals are checked here");
            for (Object literal : list(generator.get("literals"), "literals")) {
                String name = ((String) literal).split("=", 2)[0];
                assertTrue(variables.contains(name),
                        name + " (" + generator.get("name") + ") names no key of application.properties");
                configured.add(name);
            }
        }
        assertTrue(configured.containsAll(Set.of("PROXY_UPSTREAM_URL", "CACHE_REDIS_URL", "CACHE_REDIS_PASSWORD",
                "AUTH_HMAC_KEY")), "configured: " + configured);

        // the generated ConfigMap and Secret must actually reach the proxy
        Set<String> envFrom = list(proxyContainer().get("envFrom"), "envFrom").stream()
                .map(e -> map(e, "envFrom"))
                .map(e -> (String) Optional.ofNullable(at(e, "configMapRef", "name")).orElse(at(e, "secretRef", "name")))
                .collect(Collectors.toSet());
        assertEquals(Set.of(CONFIG_CONFIGMAP, SECRET), envFrom);
    }

    /** Redis holds pixel data: the NetworkPolicy admits the proxy's pods to its port, and nothing else. */
    @Test
    void onlyTheProxyReachesRedis() throws IOException {
        assertTrue(list(map(loadAll(K8S.resolve("kustomization.yaml")).get(0), "kustomization").get("resources"),
                "resources").contains("networkpolicy.yaml"), "the NetworkPolicy is part of the base");
        Map<String, Object> redis = objects("Deployment").stream()
                .filter(d -> REDIS.equals(at(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment " + REDIS));
        Map<String, Object> redisPods = map(at(redis, "spec", "template", "metadata", "labels"), "redis pod labels");
        Map<String, Object> proxyPods = map(at(proxyDeployment(), "spec", "template", "metadata", "labels"),
                "proxy pod labels");
        int redisPort = containerPorts(containers(redis).get(0)).get("redis");

        List<Map<String, Object>> policies = objects("NetworkPolicy").stream()
                .filter(p -> labelsMatch(map(at(p, "spec", "podSelector", "matchLabels"), "podSelector"), redisPods))
                .toList();
        assertEquals(1, policies.size(), "NetworkPolicies selecting the Redis pods");
        Map<String, Object> policy = policies.get(0);
        assertFalse(labelsMatch(map(at(policy, "spec", "podSelector", "matchLabels"), "podSelector"), proxyPods),
                "the policy must not select the proxy's own pods");
        assertTrue(list(at(policy, "spec", "policyTypes"), "policyTypes").contains("Ingress"));
        List<?> rules = list(at(policy, "spec", "ingress"), "ingress");
        assertFalse(rules.isEmpty(), "no ingress rule: nothing could reach Redis, the proxy included");
        for (Object rule : rules) {
            List<?> from = list(map(rule, "ingress rule").get("from"), "from (a rule without it admits everyone)");
            for (Object peer : from) {
                Map<String, Object> source = map(peer, "from entry");
                assertEquals(Set.of("podSelector"), source.keySet(),
                        "peers are pods of this namespace only (no namespaceSelector, no ipBlock): " + source);
                Map<String, Object> selector = map(at(source, "podSelector", "matchLabels"), "from podSelector");
                assertTrue(labelsMatch(selector, proxyPods), "admits pods other than the proxy's: " + selector);
                assertFalse(labelsMatch(selector, redisPods), "admits the Redis pods themselves: " + selector);
            }
            List<?> ports = list(map(rule, "ingress rule").get("ports"), "ports (a rule without them admits every port)");
            assertEquals(List.of(Map.of("protocol", "TCP", "port", redisPort)), ports);
        }
    }

    /**
     * The overlay for an external Redis Cluster with TLS and encryption: it sets only keys the proxy reads, leaves
     * exactly one Redis form, drops the in-cluster Redis, and the files and secrets it names are the ones mounted.
     */
    @Test
    void externalRedisTlsOverlayGivesTheProxyTheFilesAndSecretsItReads() throws IOException {
        Path overlay = EXTERNAL_REDIS_OVERLAY;
        Map<String, Object> kustomization = map(loadAll(overlay.resolve("kustomization.yaml")).get(0), "kustomization");
        assertEquals(List.of("../../base"), kustomization.get("resources"));
        assertEquals(K8S.toAbsolutePath().normalize(), overlay.resolve("../../base").toAbsolutePath().normalize());

        // settings: application keys only; the cluster over TLS, and no single-server URL beside it
        Set<String> variables = applicationProperties().stringPropertyNames().stream()
                .map(key -> key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                .collect(Collectors.toSet());
        Map<String, Object> config = list(kustomization.get("configMapGenerator"), "configMapGenerator").stream()
                .map(g -> map(g, "generator"))
                .filter(g -> CONFIG_CONFIGMAP.equals(g.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("the overlay does not change " + CONFIG_CONFIGMAP));
        assertEquals("merge", config.get("behavior"));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (Object literal : list(config.get("literals"), "literals")) {
            String[] pair = ((String) literal).split("=", 2);
            assertTrue(variables.contains(pair[0]), pair[0] + " names no key of application.properties");
            settings.put(pair[0], pair[1]);
        }
        assertEquals("", settings.get("CACHE_REDIS_URL"), "the base's single-server URL must be cleared");
        assertFalse(settings.getOrDefault("CACHE_REDIS_CLUSTER_NODES", "").isBlank());
        assertEquals("true", settings.get("CACHE_REDIS_TLS"));

        // the deployment patch: a Secret volume whose items are exactly the files the settings name
        Map<String, Object> patch = map(loadAll(overlay.resolve("proxy-redis-tls.yaml")).get(0), "patch");
        assertEquals(List.of("Deployment", APP), List.of(patch.get("kind"), at(patch, "metadata", "name")));
        Map<String, Object> container = map(at(patch, "spec", "template", "spec", "containers", 0), "container");
        assertEquals(PROXY_CONTAINER, container.get("name"));
        Map<String, String> files = new java.util.TreeMap<>();
        for (Object volume : list(at(patch, "spec", "template", "spec", "volumes"), "volumes")) {
            Map<String, Object> secretVolume = map(volume, "volume");
            String secretName = (String) at(secretVolume, "secret", "secretName");
            assertNonBlank(secretName, "volume " + secretVolume.get("name") + " from a Secret");
            String mountPath = list(container.get("volumeMounts"), "volumeMounts").stream()
                    .map(m -> map(m, "volumeMount"))
                    .filter(m -> secretVolume.get("name").equals(m.get("name")) && Boolean.TRUE.equals(m.get("readOnly")))
                    .map(m -> (String) m.get("mountPath"))
                    .findFirst().orElseThrow(() -> new AssertionError(secretVolume.get("name") + " is not mounted read-only"));
            for (Object item : list(at(secretVolume, "secret", "items"), "items")) {
                files.put(mountPath + "/" + map(item, "item").get("path"), secretName + "/" + map(item, "item").get("key"));
            }
        }
        Map<String, String> named = new java.util.TreeMap<>();
        for (String file : List.of("CACHE_REDIS_TLS_CA_FILE", "CACHE_REDIS_TLS_CERT_FILE", "CACHE_REDIS_TLS_KEY_FILE")) {
            assertTrue(files.containsKey(settings.get(file)), file + "=" + settings.get(file) + " is not a mounted file: "
                    + files.keySet());
            named.put(settings.get(file), files.get(settings.get(file)));
        }
        assertEquals(files, named, "every mounted file is one the proxy reads");

        // the encryption keys from a Secret, under the names the proxy reads them by
        Map<String, Map<String, Object>> fromSecrets = new java.util.TreeMap<>();
        for (Object env : list(container.get("env"), "env")) {
            Map<String, Object> variable = map(env, "env");
            assertTrue(variables.contains((String) variable.get("name")), variable.get("name") + " is no application key");
            assertFalse(variable.containsKey("value"), variable.get("name") + ": secrets never as literal values");
            fromSecrets.put((String) variable.get("name"), map(at(variable, "valueFrom", "secretKeyRef"), "secretKeyRef"));
        }
        assertEquals(Set.of("CACHE_ENCRYPTION_KEY", "CACHE_ENCRYPTION_OLD_KEY"), fromSecrets.keySet());
        fromSecrets.forEach((name, ref) -> assertEquals(name, ref.get("key"), name + " is read from its own key"));
        assertEquals(Boolean.TRUE, fromSecrets.get("CACHE_ENCRYPTION_OLD_KEY").get("optional"),
                "the old key exists only during a rotation");
        assertFalse(Boolean.TRUE.equals(fromSecrets.get("CACHE_ENCRYPTION_KEY").get("optional")),
                "without its key the proxy would store plain values: the pod must not start");

        // the in-cluster Redis goes, and with it only what belongs to it
        Set<String> deleted = new TreeSet<>();
        for (Object entry : list(kustomization.get("patches"), "patches")) {
            Map<String, Object> p = map(entry, "patch");
            if (p.get("patch") instanceof String inline && inline.contains("$patch: delete")) {
                deleted.add(at(p, "target", "kind") + "/" + at(p, "target", "name"));
            }
        }
        assertEquals(Set.of("Deployment/" + REDIS, "Service/" + REDIS, "NetworkPolicy/" + REDIS), deleted);
    }

    /** `kubectl kustomize k8s/` (what `kubectl apply -k k8s/` applies), with kustomize's default settings. */
    @Test
    void kustomizeRendersTheBase(@TempDir Path temp) throws Exception {
        List<Map<String, Object>> objects = render(K8S_ROOT, temp);
        Map<String, Object> deployment = renderedProxyDeployment(objects);
        assertFalse(envNames(containers(deployment).get(0)).contains("PROXY_ROUTES_DIR"), "the jar's routes serve");
        assertTrue(objects.stream().noneMatch(o -> ((String) at(o, "metadata", "name")).startsWith(ROUTES_CONFIGMAP)),
                "no routes ConfigMap in the base");
        // the hashed names are what roll the pods when a setting changes
        String config = objects.stream()
                .filter(o -> "ConfigMap".equals(o.get("kind")))
                .map(o -> (String) at(o, "metadata", "name"))
                .filter(name -> name.startsWith(CONFIG_CONFIGMAP + "-"))
                .findFirst().orElseThrow(() -> new AssertionError("rendering has no settings ConfigMap"));
        assertTrue(list(containers(deployment).get(0).get("envFrom"), "envFrom").stream()
                .anyMatch(e -> config.equals(at(e, "configMapRef", "name"))), "the Deployment does not read " + config);
    }

    @Test
    void kustomizeRendersTheRoutesOverlay(@TempDir Path temp) throws Exception {
        List<Map<String, Object>> objects = render(K8S_ROOT.resolve("overlays/routes-from-configmap"), temp);
        Map<String, Object> deployment = renderedProxyDeployment(objects);
        assertTrue(envNames(containers(deployment).get(0)).contains("PROXY_ROUTES_DIR"));
        // the ConfigMap the operator creates, by its plain name (kustomize did not generate it)
        assertTrue(list(at(deployment, "spec", "template", "spec", "volumes"), "volumes").stream()
                .anyMatch(v -> ROUTES_CONFIGMAP.equals(at(v, "configMap", "name"))),
                "the Deployment does not mount " + ROUTES_CONFIGMAP);
        assertEquals(Set.of("Deployment/" + APP, "Deployment/" + REDIS), objects.stream()
                .filter(o -> "Deployment".equals(o.get("kind")))
                .map(o -> "Deployment/" + at(o, "metadata", "name")).collect(Collectors.toSet()));
    }

    @Test
    void kustomizeRendersTheExternalRedisOverlay(@TempDir Path temp) throws Exception {
        List<Map<String, Object>> objects = render(EXTERNAL_REDIS_OVERLAY, temp);
        assertTrue(objects.stream().noneMatch(o -> REDIS.equals(at(o, "metadata", "name"))), "no in-cluster Redis");
        Map<String, Object> container = containers(renderedProxyDeployment(objects)).get(0);
        assertTrue(envNames(container).contains("CACHE_ENCRYPTION_KEY"), "env " + envNames(container));
        assertTrue(list(container.get("volumeMounts"), "volumeMounts").stream()
                .anyMatch(m -> "/etc/redis-tls".equals(map(m, "volumeMount").get("mountPath"))), "TLS files mounted");
        Map<String, Object> config = objects.stream()
                .filter(o -> "ConfigMap".equals(o.get("kind"))
                        && ((String) at(o, "metadata", "name")).startsWith(CONFIG_CONFIGMAP + "-"))
                .findFirst().orElseThrow(() -> new AssertionError("no settings ConfigMap"));
        assertEquals("", at(config, "data", "CACHE_REDIS_URL"));
        assertEquals("true", at(config, "data", "CACHE_REDIS_TLS"));
        assertNotNull(at(config, "data", "PROXY_UPSTREAM_URL"), "the base's settings are kept (merge)");
    }

    /** `kubectl kustomize DIR` with no flags: the default load restrictor, as a GitOps tool runs it. */
    private static List<Map<String, Object>> render(Path kustomization, Path temp) throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(),
                "kubectl is not on PATH: `kubectl kustomize " + kustomization + "` is not checked");
        Path stderr = temp.resolve("stderr");
        Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", kustomization.toString())
                .redirectError(stderr.toFile())
                .start();
        String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, process.exitValue(), "kubectl kustomize " + kustomization + " failed: " + Files.readString(stderr));

        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object object : new Load(LoadSettings.builder().build()).loadAllFromString(rendered)) {
            objects.add(map(object, "rendered object"));
        }
        return objects;
    }

    private static Map<String, Object> renderedProxyDeployment(List<Map<String, Object>> objects) {
        return objects.stream()
                .filter(o -> "Deployment".equals(o.get("kind")) && APP.equals(at(o, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("rendering has no Deployment " + APP));
    }

    private static Set<String> envNames(Map<String, Object> container) {
        return listOrEmpty(container.get("env")).stream().map(e -> (String) map(e, "env").get("name"))
                .collect(Collectors.toSet());
    }

    // --- reading the manifests ---

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> entries = Files.list(K8S)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<Object> loadAll(Path file) throws IOException {
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build())
                .loadAllFromString(Files.readString(file, StandardCharsets.UTF_8))
                .forEach(documents::add);
        return documents;
    }

    /** Every object of a kind in k8s/, the kustomization excluded. */
    private static List<Map<String, Object>> objects(String kind) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Path file : manifestFiles()) {
            for (Object document : loadAll(file)) {
                Map<String, Object> object = map(document, file.toString());
                if (kind.equals(object.get("kind"))) {
                    found.add(object);
                }
            }
        }
        return found;
    }

    private static Map<String, Object> single(String kind) throws IOException {
        List<Map<String, Object>> found = objects(kind);
        assertEquals(1, found.size(), "number of " + kind);
        return found.get(0);
    }

    private static Map<String, Object> proxyDeployment() throws IOException {
        return objects("Deployment").stream()
                .filter(d -> APP.equals(at(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment " + APP));
    }

    private static Map<String, Object> proxyContainer() throws IOException {
        return containers(proxyDeployment()).stream()
                .filter(c -> PROXY_CONTAINER.equals(c.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + PROXY_CONTAINER));
    }

    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return list(at(deployment, "spec", "template", "spec", "containers"), "containers").stream()
                .map(c -> map(c, "container"))
                .toList();
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        return list(container.get("ports"), "ports").stream()
                .map(p -> map(p, "port"))
                .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));
    }

    private static int resolvePort(Object port, Map<String, Integer> containerPorts) {
        if (port instanceof Integer number) {
            return number;
        }
        Integer named = containerPorts.get((String) port);
        assertNotNull(named, "no container port named " + port);
        return named;
    }

    private static Map<String, Object> generator(String section, String name) throws IOException {
        Map<String, Object> kustomization = map(loadAll(K8S.resolve("kustomization.yaml")).get(0), "kustomization");
        return list(kustomization.get(section), section).stream()
                .map(g -> map(g, section))
                .filter(g -> name.equals(g.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + section + " entry " + name));
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        // "{{env:NAME:default}}": the value the application runs with when the variable is unset
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (value.startsWith("{{env:") && value.endsWith("}}")) {
                String inner = value.substring(6, value.length() - 2);
                int colon = inner.indexOf(':');
                properties.setProperty(key, colon < 0 ? "" : inner.substring(colon + 1));
            }
        }
        return properties;
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    // --- navigating parsed YAML ---

    /** Walks maps by key and lists by index; null when any step is missing. */
    private static Object at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (step instanceof Integer index && current instanceof List<?> items) {
                current = index < items.size() ? items.get(index) : null;
            } else if (current instanceof Map<?, ?> fields) {
                current = fields.get(step);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            fail(what + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    private static List<?> listOrEmpty(Object value) {
        return value == null ? List.of() : list(value, "list");
    }

    private static List<?> list(Object value, String what) {
        if (!(value instanceof List<?> items)) {
            throw new AssertionError(what + " is not a list: " + value);
        }
        return items;
    }

    private static boolean labelsMatch(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static void assertNonBlank(Object value, String what) {
        assertTrue(value instanceof String s && !s.isBlank(), what + " is missing or blank: " + value);
    }
}
