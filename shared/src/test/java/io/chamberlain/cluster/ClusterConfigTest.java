package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import io.chamberlain.config.ClusterSettings;
import io.chamberlain.config.ConfigResolver;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.ResolvedConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hazelcast member configuration a node runs with: config/cluster.xml under the node's cluster settings. */
class ClusterConfigTest {

  @Test
  void bundledHazelcastConfigDetectsFailuresFast() {
    Config config = ClusteredVertx.hazelcastConfig(
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
    Config config = ClusteredVertx.hazelcastConfig(ClusterSettings.from(resolved));
    var join = config.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("chamberlain-cluster.fab.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertEquals(false, join.getTcpIpConfig().isEnabled(), "no member list to go stale");
    assertEquals(false, config.getNetworkConfig().getInterfaces().isEnabled(), "binds every interface of the pod");
  }
}
