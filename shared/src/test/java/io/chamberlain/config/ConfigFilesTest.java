package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The files in {@code config/} and the README stay true to the code. */
class ConfigFilesTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void referenceYamlFilesAreTheRenderedSchema() throws Exception {
    for (String node : List.of("gateway", "worker")) {
      List<ConfigKey> schema = node.equals("gateway") ? ConfigSchema.GATEWAY : ConfigSchema.WORKER;
      assertEquals(ConfigReference.render(node, schema), Files.readString(ROOT.resolve("config/" + node + ".yaml")),
          "config/" + node + ".yaml is stale; regenerate it with: java -cp shared/target/classes "
              + "io.chamberlain.config.ConfigReference " + node + " > config/" + node + ".yaml");
    }
  }

  @Test
  void referenceYamlFilesLoadToTheDefaults() {
    ResolvedConfig fromFile = ConfigLoader.load(ROOT.resolve("config/gateway.yaml"), ConfigSchema.GATEWAY, Map.of());
    assertEquals(ConfigLoader.load(null, ConfigSchema.GATEWAY, Map.of()).asMap(), fromFile.asMap());
    ConfigLoader.load(ROOT.resolve("config/worker.yaml"), ConfigSchema.WORKER, Map.of());
  }

  @Test
  void readmeDocumentsEveryEnvironmentVariable() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (List<ConfigKey> schema : List.of(ConfigSchema.GATEWAY, ConfigSchema.WORKER)) {
      for (ConfigKey key : schema) {
        assertTrue(readme.contains("`" + key.envName() + "`"), "README does not document " + key.envName());
      }
    }
  }

  @Test
  void bundledHazelcastConfigDetectsFailuresFast() {
    Config config = io.chamberlain.cluster.ClusteredVertxTestAccess.hazelcastConfig(
        new ClusterSettings("c1", "127.0.0.1", 5801, false, List.of("127.0.0.1:5801")));
    assertEquals("c1", config.getClusterName());
    assertTrue(Integer.parseInt(config.getProperty("hazelcast.heartbeat.interval.seconds")) <= 1);
    assertTrue(Integer.parseInt(config.getProperty("hazelcast.max.no.heartbeat.seconds")) <= 5);
    assertEquals(List.of("127.0.0.1:5801"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertEquals(false, config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertEquals(false, config.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled());
  }

  @Test
  void onKubernetesMembersAreFoundByTheHeadlessServicesDns() {
    ResolvedConfig resolved = ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-",
        Map.of("CHAMBERLAIN_CLUSTER_KUBERNETES_SERVICE_DNS", "chamberlain-cluster.fab.svc.cluster.local",
            "CHAMBERLAIN_CLUSTER_HOST", "0.0.0.0"));
    Config config = io.chamberlain.cluster.ClusteredVertxTestAccess.hazelcastConfig(ClusterSettings.from(resolved));
    var join = config.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("chamberlain-cluster.fab.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertEquals(false, join.getTcpIpConfig().isEnabled(), "no member list to go stale");
    assertEquals(false, config.getNetworkConfig().getInterfaces().isEnabled(), "binds every interface of the pod");
  }
}
