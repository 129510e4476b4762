package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.chamberlain.config.ClusterSettings;
import io.chamberlain.config.ConfigResolver;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.ResolvedConfig;
import io.chamberlain.testkit.TestClusters;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
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
    assertTrue(Integer.parseInt(config.getProperty("hazelcast.partition.migration.timeout")) <= 30,
        "a migration to a member that died must not hold the partition table's repair for minutes");
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

  /**
   * Open-source Hazelcast has no TLS and no member authentication beyond the cluster name, so a member
   * listens on cluster.host alone: its port does not answer on the machine's other addresses. On
   * Linux every 127.x.y.z is this machine's loopback, so 127.0.0.2 stands for "another interface" (a
   * wildcard listener answers there; checked first, else the test has nothing to show).
   */
  @Test
  void aMemberListensOnClusterHostOnly() throws Exception {
    try (ServerSocket wildcard = new ServerSocket(0)) {
      Assumptions.assumeTrue(connects("127.0.0.2", wildcard.getLocalPort()), "127.0.0.2 is not a loopback address here");
    }
    TestClusters ports = new TestClusters(1);
    Config config = ClusteredVertx.hazelcastConfig(ports.member(0));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    try {
      assertTrue(connects("127.0.0.1", ports.port(0)), "the member answers on cluster.host");
      assertFalse(connects("127.0.0.2", ports.port(0)), "the member answers on an address other than cluster.host");
    } finally {
      member.getLifecycleService().terminate();
    }
    Config anyHost = ClusteredVertx.hazelcastConfig(new ClusterSettings("c1", ClusteredVertx.ANY_HOST, 5801, false,
        List.of("127.0.0.1:5801")));
    assertEquals(null, anyHost.getProperty("hazelcast.socket.bind.any"), "0.0.0.0 means every interface (containers)");
  }

  private static boolean connects(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (java.io.IOException refused) {
      return false;
    }
  }
}
