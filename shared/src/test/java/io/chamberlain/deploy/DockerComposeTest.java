package io.chamberlain.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.cluster.ClusteredVertx;
import io.chamberlain.config.ClusterSettings;
import io.chamberlain.config.ConfigKey;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.config.ResolvedConfig;
import io.chamberlain.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run on a machine without a Docker engine, so this keeps it honest by
 * reading it: services, images, commands, ports, and every environment variable resolved through
 * the same config code the nodes use.
 */
class DockerComposeTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static Map<String, Object> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    services = (Map<String, Object>) compose.get("services");
  }

  @Test
  void natsRunsWithJetStream() {
    Map<String, Object> nats = service("nats");
    assertTrue(((String) nats.get("image")).startsWith("nats:"));
    assertTrue(command(nats).contains("-js"), "nats must run with JetStream (-js)");
    assertTrue(((List<?>) nats.get("ports")).contains("4222:4222"));
  }

  @Test
  void gatewayEnvironmentIsAValidGatewayConfig() {
    Map<String, Object> gateway = service("gateway");
    Map<String, String> env = environment(gateway);
    assertOnlyKnownVariables(env, ConfigSchema.GATEWAY);
    GatewayConfig config = GatewayConfig.from(resolve(ConfigSchema.GATEWAY, env));
    assertEquals("nats://nats:4222", config.natsUrl());
    assertTrue(((List<?>) gateway.get("ports")).contains(config.httpPort() + ":" + config.httpPort()),
        "the status API port must be published");
    assertConfigFileShipped(command(gateway), "gateway");
    assertTrue(Files.isRegularFile(ROOT.resolve(config.leader().chambersFile().replace("/app/", ""))));
    assertMembersAreServices(config.cluster().members());
  }

  @Test
  void workerIsScalableAndItsEnvironmentIsAValidWorkerConfig() {
    Map<String, Object> worker = service("worker");
    Map<String, String> env = environment(worker);
    assertOnlyKnownVariables(env, ConfigSchema.WORKER);
    WorkerConfig config = WorkerConfig.from(resolve(ConfigSchema.WORKER, env));
    assertEquals(service("gateway").get("image"), worker.get("image"));
    assertFalse(worker.containsKey("ports"), "fixed host ports would stop --scale worker=N");
    assertFalse(worker.containsKey("container_name"), "a container name would stop --scale worker=N");
    assertFalse(env.containsKey("CHAMBERLAIN_DEFENDER_ID"), "scaled workers must not share a defender id");
    IdPoolSettings pool = IdPoolSettings.from(resolve(ConfigSchema.WORKER, env));
    assertTrue(pool.size() >= 64, "each scaled worker claims a stable id from a pool big enough: " + pool.size());
    assertConfigFileShipped(command(worker), "worker");
    assertMembersAreServices(config.cluster().members());
    assertHealthCheckProbesReady(worker, config.httpPort());
    assertEquals("unless-stopped", worker.get("restart"));
  }

  @Test
  void everyGatewayIsAValidGatewayWithAHealthCheckAndTheyAreTwo() {
    List<String> gateways = services.keySet().stream().filter(name -> name.startsWith("gateway")).sorted().toList();
    assertEquals(List.of("gateway", "gateway-standby"), gateways, "one ingests, one stands by");
    for (String name : gateways) {
      Map<String, Object> gateway = service(name);
      GatewayConfig config = GatewayConfig.from(resolve(ConfigSchema.GATEWAY, environment(gateway)));
      assertHealthCheckProbesReady(gateway, config.httpPort());
      assertEquals(List.of("gateway:5701", "gateway-standby:5701"), config.cluster().members());
    }
  }

  /**
   * What Hazelcast is given on the compose network: it binds every interface and advertises the
   * container's own address (no interface pinned, so not 0.0.0.0 or a loopback), joins through the
   * gateways' service names on the cluster port, and never by multicast or Kubernetes.
   */
  @Test
  void theMemberConfigResolvedFromTheComposeEnvironmentJoinsThroughTheGateways() {
    for (String name : List.of("gateway", "worker")) {
      Map<String, String> env = environment(service(name));
      ClusterSettings cluster = name.equals("worker")
          ? WorkerConfig.from(resolve(ConfigSchema.WORKER, env)).cluster()
          : GatewayConfig.from(resolve(ConfigSchema.GATEWAY, env)).cluster();
      com.hazelcast.config.Config member = ClusteredVertx.hazelcastConfig(cluster);
      com.hazelcast.config.NetworkConfig network = member.getNetworkConfig();
      assertEquals("chamberlain", member.getClusterName());
      assertEquals(5701, network.getPort());
      assertFalse(network.isPortAutoIncrement(), "a fixed port: the member list names it");
      assertFalse(network.getInterfaces().isEnabled(), "binds every interface, advertises the container's address");
      assertNull(network.getPublicAddress(), "the address others reach it at is its own on the compose network");
      com.hazelcast.config.JoinConfig join = network.getJoin();
      assertTrue(join.getTcpIpConfig().isEnabled());
      assertEquals(List.of("gateway:5701", "gateway-standby:5701"), join.getTcpIpConfig().getMembers());
      assertFalse(join.getMulticastConfig().isEnabled());
      assertFalse(join.getKubernetesConfig().isEnabled());
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertHealthCheckProbesReady(Map<String, Object> service, int httpPort) {
    List<String> test = (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test");
    assertEquals(List.of("CMD", "/app/bin/chamberlain", "probe", "http://127.0.0.1:" + httpPort + "/ready"), test);
  }

  @Test
  void imageIsBuiltFromTheDockerfileWithTheLauncher() throws Exception {
    assertEquals(".", service("gateway").get("build"));
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("ENTRYPOINT [\"/app/bin/chamberlain\"]"));
    assertTrue(dockerfile.contains("COPY config config"));
    assertTrue(Files.isRegularFile(ROOT.resolve("config/prometheus.yml")));
    String parentPom = Files.readString(ROOT.resolve("pom.xml"));
    java.util.regex.Matcher modules = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(parentPom);
    while (modules.find()) {
      assertTrue(dockerfile.contains("COPY " + modules.group(1) + "/pom.xml " + modules.group(1) + "/"),
          "the Dockerfile must copy " + modules.group(1) + "/pom.xml, or the Maven reactor cannot load");
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void grafanaIsProvisionedWithTheDashboardFromThisRepository() throws Exception {
    Map<String, Object> grafana = service("grafana");
    List<String> volumes = (List<String>) grafana.get("volumes");
    for (String volume : volumes) {
      Path local = ROOT.resolve(volume.substring(0, volume.indexOf(':')).replace("./", ""));
      assertTrue(Files.isDirectory(local), "mounted directory " + local + " exists");
    }
    Map<String, Object> provider = (Map<String, Object>) ((List<Object>) new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(
        Files.readString(ROOT.resolve("config/grafana/provisioning/dashboards/chamberlain.yml"))).get("providers")).get(0);
    String inContainer = (String) ((Map<String, Object>) provider.get("options")).get("path");
    assertTrue(volumes.contains("./config/grafana/dashboards:" + inContainer + ":ro"),
        "the dashboards provider reads the mounted dashboards: " + inContainer);
    Map<String, Object> datasource = (Map<String, Object>) ((List<Object>) new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(
        Files.readString(ROOT.resolve("config/grafana/provisioning/datasources/prometheus.yml"))).get("datasources")).get(0);
    assertEquals("http://prometheus:9090", datasource.get("url"));
    assertTrue(services.containsKey("prometheus"));
    io.vertx.core.json.JsonObject dashboard = new io.vertx.core.json.JsonObject(
        Files.readString(ROOT.resolve("config/grafana/dashboards/chamberlain.json")));
    dashboard.getJsonArray("panels").forEach(panel -> ((io.vertx.core.json.JsonObject) panel).getJsonArray("targets")
        .forEach(target -> assertEquals(datasource.get("uid"), ((io.vertx.core.json.JsonObject) target)
            .getJsonObject("datasource").getString("uid"), "every query uses the provisioned datasource")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    Map<String, Object> service = (Map<String, Object>) services.get(name);
    assertNotNull(service, "docker-compose.yml has no service '" + name + "'");
    return service;
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(Map<String, Object> service) {
    return (List<String>) service.get("command");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    return ((Map<String, Object>) service.get("environment")).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }

  private static ResolvedConfig resolve(List<ConfigKey> schema, Map<String, String> env) {
    return io.chamberlain.config.ConfigLoader.load(null, schema, env);
  }

  private static void assertOnlyKnownVariables(Map<String, String> env, List<ConfigKey> schema) {
    Set<String> known = schema.stream().flatMap(key -> key.envNames().stream()).collect(Collectors.toSet());
    env.keySet().forEach(name -> assertTrue(known.contains(name), name + " is not a config variable of this node"));
  }

  private static void assertConfigFileShipped(List<String> command, String node) {
    int at = command.indexOf("--config");
    assertEquals("/app/config/" + node + ".yaml", command.get(at + 1));
    assertTrue(Files.isRegularFile(ROOT.resolve("config/" + node + ".yaml")));
  }

  private static void assertMembersAreServices(List<String> members) {
    for (String member : members) {
      String host = member.substring(0, member.lastIndexOf(':'));
      assertTrue(services.containsKey(host), "cluster member " + member + " is not a compose service");
    }
  }
}
