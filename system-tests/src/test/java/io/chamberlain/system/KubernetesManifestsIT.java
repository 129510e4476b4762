package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.ConfigKey;
import io.chamberlain.config.ConfigLoader;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.worker.WorkerNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s cannot be applied on a machine without Kubernetes, so it is kept honest here: every
 * overlay is rendered by kustomize and every object validated against the Kubernetes (and KEDA)
 * schemas ({@code deploy/k8s/validate/validate.mjs}, tools installed by {@code bin/ensure-deploy-tools}),
 * then the rendered objects are checked against the code: the environment resolves through the
 * nodes' own config code to a valid configuration, ports and probes match it, the defender id is
 * the pod name, the grace period covers the drain, images agree, and the autoscalers scale the
 * workers on the metric the leader exports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path RENDERED = Path.of("target", "k8s").toAbsolutePath();
  /** Variables of the pod spec that are not config keys. */
  private static final Set<String> NOT_CONFIG = Set.of("POD_NAMESPACE");

  @BeforeAll
  void renderAndValidate() throws Exception {
    run(List.of(ROOT.resolve("bin/ensure-deploy-tools").toString()));
    run(List.of("node", ROOT.resolve("deploy/k8s/validate/validate.mjs").toString(), RENDERED.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"small", "large", "large-keda"})
  void workersAreAStatefulSetWhosePodNameIsTheDefenderId(String overlay) throws Exception {
    Rendered objects = Rendered.of(overlay);
    Map<String, Object> workers = objects.one("StatefulSet", "chamberlain-worker");
    Map<String, Object> spec = map(workers, "spec");
    assertEquals("Parallel", spec.get("podManagementPolicy"));
    Map<String, Object> pod = map(map(spec, "template"), "spec");
    Map<String, Object> container = only(list(pod, "containers"));
    Map<String, String> env = objects.environment(container);
    assertEquals("metadata.name", objects.fieldRefs(container).get("DEFENDER_ID"), "the defender id is the pod name");
    assertOnlyConfigVariables(env.keySet(), ConfigSchema.WORKER);

    env.put("DEFENDER_ID", "chamberlain-worker-0");
    WorkerConfig config = WorkerConfig.from(ConfigLoader.load(null, ConfigSchema.WORKER, env));
    assertTrue(config.natsUrl().contains(".svc.cluster.local"), "NATS from the secret, not the default: " + config.natsUrl());
    assertEquals(3, config.natsReplicas(), "streams and buckets at 3 replicas on the 3-server NATS of deploy/k8s/nats");
    assertEquals("chamberlain-cluster.fab.svc.cluster.local", config.cluster().kubernetesServiceDns());
    assertEquals(List.of("worker", "--config", "/app/config/worker.yaml"), container.get("args"),
        "the launcher's command line, as LauncherIT runs it");
    assertTrue(Files.isRegularFile(ROOT.resolve("config/worker.yaml")), "the config file the image ships");
    assertPortsAndProbes(container, config.httpPort(), config.cluster().port());
    long graceMillis = ((Number) pod.get("terminationGracePeriodSeconds")).longValue() * 1_000;
    assertTrue(graceMillis >= WorkerNode.ANNOUNCE_TIMEOUT_MILLIS + config.handoffTimeout().toMillis(),
        "the grace period (" + graceMillis + " ms) covers announcing the restart and the handoff");
    assertEquals(spec.get("serviceName"), objects.clusterService(), "the StatefulSet's service is the discovery one");
    assertTrue(objects.selects("Service", objects.clusterService(), map(map(spec, "template"), "metadata")),
        "the discovery service finds the workers");
    assertTrue(objects.selects("PodDisruptionBudget", "chamberlain-worker", map(map(spec, "template"), "metadata")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"small", "large", "large-keda"})
  void gatewaysAreSeveralBehindAServiceAndFindTheWorkers(String overlay) throws Exception {
    Rendered objects = Rendered.of(overlay);
    Map<String, Object> gateways = objects.one("Deployment", "chamberlain-gateway");
    Map<String, Object> spec = map(gateways, "spec");
    assertTrue(((Number) spec.get("replicas")).intValue() >= 2, "one ingests, the others stand by");
    Map<String, Object> template = map(spec, "template");
    Map<String, Object> container = only(list(map(template, "spec"), "containers"));
    Map<String, String> env = objects.environment(container);
    assertOnlyConfigVariables(env.keySet(), ConfigSchema.GATEWAY);
    GatewayConfig config = GatewayConfig.from(ConfigLoader.load(null, ConfigSchema.GATEWAY, env));
    assertTrue(config.natsUrl().contains(".svc.cluster.local"), "NATS from the secret, not the default: " + config.natsUrl());
    assertEquals(3, config.natsReplicas(), "streams and buckets at 3 replicas on the 3-server NATS of deploy/k8s/nats");
    assertEquals(List.of("gateway", "--config", "/app/config/gateway.yaml"), container.get("args"));
    assertTrue(!config.adminToken().isEmpty(), "the operations token comes from the secret");
    assertPortsAndProbes(container, config.httpPort(), config.cluster().port());
    assertTrue(objects.selects("Service", objects.clusterService(), map(template, "metadata")),
        "gateways and workers are one cluster");
    assertTrue(objects.selects("Service", "chamberlain-gateway", map(template, "metadata")));
    Map<String, Object> workerContainer = only(list(map(map(map(objects.one("StatefulSet", "chamberlain-worker"),
        "spec"), "template"), "spec"), "containers"));
    assertEquals(container.get("image"), workerContainer.get("image"), "one image, one tag");
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("MaxRAMPercentage"), "the image sizes the heap by the container's memory limit");
    Object runAs = map(map(template, "spec"), "securityContext").get("runAsUser");
    assertTrue(dockerfile.contains("USER " + runAs + ":"), "the image runs as the user the pods require: " + runAs);
    assertTrue(String.valueOf(container.get("image")).matches("[^:]+:[^:]+"), "a pinned tag: " + container.get("image"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"large", "large-keda"})
  void theLargeFabScalesTheWorkersOnTheWorkTheLeaderMeasures(String overlay) throws Exception {
    Rendered objects = Rendered.of(overlay);
    Map<String, Object> scaler = overlay.equals("large")
        ? objects.one("HorizontalPodAutoscaler", "chamberlain-worker")
        : objects.one("ScaledObject", "chamberlain-worker");
    Map<String, Object> target = map(map(scaler, "spec"), "scaleTargetRef");
    assertEquals("StatefulSet", target.get("kind"));
    assertNotNull(objects.one("StatefulSet", (String) target.get("name")));
    String text = new Yaml().dump(scaler);
    assertTrue(text.contains("chamberlain_defenders_needed"), "scaled on the leader's metric: " + text);
    assertEquals(0, objects.count(overlay.equals("large") ? "ScaledObject" : "HorizontalPodAutoscaler"),
        "one autoscaler, not two fighting over the replicas");
    if (overlay.equals("large-keda")) {
      assertEquals(0, objects.count("ConfigMap", "chamberlain-prometheus-adapter-rules"), "KEDA needs no adapter rules");
    }

    Map<String, Object> spec = map(scaler, "spec");
    for (Map<String, Object> container : List.of(gatewayContainer(objects), only(list(map(map(map(objects.one(
        "StatefulSet", "chamberlain-worker"), "spec"), "template"), "spec"), "containers")))) {
      assertLeadsInStepWithTheScaler(overlay, spec, LeaderSettings.from(ConfigLoader.load(null,
          container.get("args").toString().contains("gateway") ? ConfigSchema.GATEWAY : ConfigSchema.WORKER,
          objects.environment(container))));
    }
  }

  /** Any node may lead: its need never below the autoscaler's floor, its drains before the scale-in. */
  private static void assertLeadsInStepWithTheScaler(String overlay, Map<String, Object> spec, LeaderSettings leader) {
    int minReplicas = ((Number) spec.getOrDefault("minReplicas", spec.get("minReplicaCount"))).intValue();
    assertEquals(minReplicas, leader.capacity().minDefenders(), "leader.autoscale.minDefenders = the autoscaler's minimum");
    Map<String, Object> behavior = overlay.equals("large")
        ? map(spec, "behavior") : map(map(map(spec, "advanced"), "horizontalPodAutoscalerConfig"), "behavior");
    long stabilizationMillis = ((Number) map(behavior, "scaleDown").get("stabilizationWindowSeconds")).longValue() * 1000;
    assertTrue(leader.drainBeforeScaleInMillis() > 0 && leader.drainBeforeScaleInMillis() < stabilizationMillis,
        "the leader drains the pods a scale-in removes before the autoscaler's " + stabilizationMillis
            + " ms stabilization ends, was " + leader.drainBeforeScaleInMillis());
  }

  private static Map<String, Object> gatewayContainer(Rendered objects) {
    return only(list(map(map(map(objects.one("Deployment", "chamberlain-gateway"), "spec"), "template"), "spec"),
        "containers"));
  }

  private static void assertPortsAndProbes(Map<String, Object> container, int httpPort, int hazelcastPort) {
    Map<String, Integer> ports = new HashMap<>();
    list(container, "ports").forEach(port -> ports.put((String) port.get("name"), ((Number) port.get("containerPort")).intValue()));
    assertEquals(httpPort, ports.get("http"), "the container's http port is the node's http.port");
    assertEquals(hazelcastPort, ports.get("hazelcast"), "the container's hazelcast port is cluster.port");
    Map<String, Object> ready = map(map(container, "readinessProbe"), "httpGet");
    Map<String, Object> live = map(map(container, "livenessProbe"), "httpGet");
    assertEquals("/ready", ready.get("path"));
    assertEquals("/health", live.get("path"));
    assertEquals("http", ready.get("port"));
    assertEquals("http", live.get("port"));
  }

  private static void assertOnlyConfigVariables(Set<String> names, List<ConfigKey> schema) {
    Set<String> known = schema.stream().flatMap(key -> key.envNames().stream()).collect(Collectors.toSet());
    for (String name : names) {
      assertTrue(known.contains(name) || NOT_CONFIG.contains(name), name + " is not a config variable of this node");
    }
  }

  /** One overlay's rendered objects. */
  private record Rendered(List<Map<String, Object>> objects) {

    @SuppressWarnings("unchecked")
    static Rendered of(String overlay) throws Exception {
      List<Map<String, Object>> objects = new ArrayList<>();
      new Yaml().loadAll(Files.readString(RENDERED.resolve(overlay + ".yaml"))).forEach(o -> objects.add((Map<String, Object>) o));
      return new Rendered(objects);
    }

    Map<String, Object> one(String kind, String name) {
      return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")))
          .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    long count(String kind) {
      return objects.stream().filter(o -> kind.equals(o.get("kind"))).count();
    }

    long count(String kind, String name) {
      return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name"))).count();
    }

    /** The headless Service the nodes discover each other through. */
    String clusterService() {
      return objects.stream().filter(o -> "Service".equals(o.get("kind")) && "None".equals(map(o, "spec").get("clusterIP"))
          && Boolean.TRUE.equals(map(o, "spec").get("publishNotReadyAddresses")))
          .map(o -> (String) map(o, "metadata").get("name")).findFirst()
          .orElseThrow(() -> new AssertionError("no headless Service publishing not-ready pods"));
    }

    /** Whether the object's selector matches the pod template's labels. */
    @SuppressWarnings("unchecked")
    boolean selects(String kind, String name, Map<String, Object> podMetadata) {
      Map<String, Object> spec = map(one(kind, name), "spec");
      Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
      Map<String, Object> labels = selector.containsKey("matchLabels") ? map(selector, "matchLabels") : selector;
      return map(podMetadata, "labels").entrySet().containsAll(labels.entrySet());
    }

    /** The container's variables with the values Kubernetes gives them: env, then envFrom ConfigMaps and Secrets. */
    Map<String, String> environment(Map<String, Object> container) {
      Map<String, String> env = new HashMap<>();
      for (Map<String, Object> from : list(container, "envFrom")) {
        if (from.containsKey("configMapRef")) {
          env.putAll(stringMap(map(one("ConfigMap", (String) map(from, "configMapRef").get("name")), "data")));
        } else {
          stringMap(map(one("Secret", (String) map(from, "secretRef").get("name")), "data")).forEach((key, value) ->
              env.put(key, new String(java.util.Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
      }
      for (Map<String, Object> variable : list(container, "env")) {
        if (variable.containsKey("value")) {
          env.put((String) variable.get("name"), String.valueOf(variable.get("value")).replace("$(POD_NAMESPACE)", "fab"));
        }
      }
      fieldRefs(container).keySet().forEach(name -> env.putIfAbsent(name, "from-the-pod"));
      return env;
    }

    /** The container's variables taken from the pod's fields: name → field path. */
    Map<String, String> fieldRefs(Map<String, Object> container) {
      Map<String, String> refs = new HashMap<>();
      for (Map<String, Object> variable : list(container, "env")) {
        if (variable.containsKey("valueFrom")) {
          refs.put((String) variable.get("name"), (String) map(map(variable, "valueFrom"), "fieldRef").get("fieldPath"));
        }
      }
      return refs;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertNotNull(value, "missing '" + key + "' in " + new TreeSet<>(parent.keySet()));
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  private static Map<String, Object> only(List<Map<String, Object>> items) {
    assertEquals(1, items.size(), "exactly one container");
    return items.get(0);
  }

  private static Map<String, String> stringMap(Map<String, Object> data) {
    Map<String, String> strings = new HashMap<>();
    data.forEach((key, value) -> strings.put(key, String.valueOf(value)));
    return strings;
  }

  private static void run(List<String> command) throws Exception {
    Path log = Files.createTempFile("k8s-", ".log");
    Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(seconds(300).toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertTrue(ended && process.exitValue() == 0, String.join(" ", command) + " failed:\n" + output);
  }
}
