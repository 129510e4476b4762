package io.chamberlain.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.chamberlain.config.ClusterSettings;
import io.chamberlain.config.TlsSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;

/**
 * Starts a node's clustered Vert.x on Hazelcast. The Hazelcast file ({@code cluster.xml} on the
 * classpath, from {@code config/cluster.xml}) carries the failure-detection tuning; the node's
 * {@link ClusterSettings} override name, bind address, port and TCP-IP members, so one file serves
 * every node. Each node gets its own Prometheus registry (several nodes may share a JVM in tests).
 */
public final class ClusteredVertx {

  /** Binding to this host means "let Hazelcast pick the interface" (containers). */
  public static final String ANY_HOST = "0.0.0.0";
  /**
   * The Hazelcast member attribute under which vertx-hazelcast keeps the member's Vert.x node id
   * ({@code HazelcastClusterManager.NODE_ID_ATTRIBUTE}, private there). The node id is a random
   * UUID, not the Hazelcast member UUID, so a "member removed" event is mapped through it.
   */
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** Member attribute: {@code "true"} if the member campaigns for leadership ({@code leader.enabled}). */
  static final String LEADER_CANDIDATE_ATTRIBUTE = "chamberlain.leaderCandidate";
  /** Hazelcast property: whether the member port listens on every interface (default true) or only the chosen one. */
  static final String BIND_ANY_PROPERTY = "hazelcast.socket.bind.any";

  private ClusteredVertx() {
  }

  /** A running node: its Vert.x, its cluster manager and its metrics registry. */
  public record Node(Vertx vertx, HazelcastClusterManager clusterManager, PrometheusMeterRegistry registry) {

    /**
     * Closes the node (leaves the cluster) once {@code drained} is done, whatever its outcome.
     * The close runs on a thread of the common pool, never on one of the node's own: a future
     * chained on a context of the Vert.x being closed would never be completed.
     */
    public CompletionStage<Void> closeAfter(Future<?> drained) {
      return drained.toCompletionStage()
          .handle((result, failure) -> (Void) null)
          .thenComposeAsync(ignored -> vertx.close().toCompletionStage(), ForkJoinPool.commonPool())
          .whenComplete((result, failure) -> registry.close());
    }
  }

  /** The Vert.x node id ({@code ClusterManager.getNodeId()}) of a Hazelcast member, or its member UUID if it has none. */
  public static String nodeIdOf(Member member) {
    String nodeId = member.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
    return nodeId != null ? nodeId : member.getUuid().toString();
  }

  /** How many other members of the cluster campaign for leadership. */
  public static int otherLeaderCandidates(HazelcastInstance hazelcast) {
    int others = 0;
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.localMember() && "true".equals(member.getAttribute(LEADER_CANDIDATE_ATTRIBUTE))) {
        others++;
      }
    }
    return others;
  }

  /**
   * Creates a node's Hazelcast member from its configuration, for a caller that needs a hand in it:
   * the partition test starts members whose network it can cut. Nodes leave this to vertx-hazelcast.
   */
  @FunctionalInterface
  public interface MemberFactory {
    HazelcastInstance create(Config config);
  }

  /** @param leaderCandidate whether this node campaigns for leadership (announced to the others) */
  public static Future<Node> start(ClusterSettings settings, int workerPoolSize, boolean leaderCandidate) {
    return start(settings, workerPoolSize, leaderCandidate, null);
  }

  /**
   * As {@link #start(ClusterSettings, int, boolean)}, with the Hazelcast member created by {@code members}
   * ({@code null}: by vertx-hazelcast, as every node does). The node shuts its member down when it closes.
   */
  public static Future<Node> start(ClusterSettings settings, int workerPoolSize, boolean leaderCandidate,
      MemberFactory members) {
    Config hazelcast = hazelcastConfig(settings);
    hazelcast.getMemberAttributeConfig().setAttribute(LEADER_CANDIDATE_ATTRIBUTE, Boolean.toString(leaderCandidate));
    if (members == null) {
      return start(settings, workerPoolSize, new MembershipOffEventThreads(hazelcast, MergeWatchdog.halting()));
    }
    // vertx-hazelcast reads the Vert.x node id of a member it is handed from this attribute.
    hazelcast.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID_ATTRIBUTE, java.util.UUID.randomUUID().toString());
    // Joining blocks: off the caller's thread, which may be an event loop.
    return Future.fromCompletionStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> members.create(hazelcast)))
        .compose(member -> start(settings, workerPoolSize, new MembershipOffEventThreads(member, MergeWatchdog.halting()))
            .onFailure(failed -> member.getLifecycleService().terminate()));
  }

  private static Future<Node> start(ClusterSettings settings, int workerPoolSize, HazelcastClusterManager clusterManager) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EventBusOptions eventBus = eventBusOptions(settings);
    VertxOptions options = new VertxOptions()
        .setWorkerPoolSize(workerPoolSize)
        .setEventBusOptions(eventBus)
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            // Vert.x keeps registries by name, JVM-wide: without a name of its own, every node but the
            // first in one JVM (tests) would report into the first node's registry and export nothing.
            .setRegistryName("chamberlain-node-" + java.util.UUID.randomUUID())
            .setJvmMetricsEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    return Vertx.builder()
        .with(options)
        .withClusterManager(clusterManager)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .buildClustered()
        .map(vertx -> new Node(vertx, clusterManager, registry));
  }

  /**
   * The event bus between nodes: on {@code cluster.host}, and with {@code cluster.tls} over mutual TLS —
   * a node presents its certificate and accepts a connection only from a peer whose certificate the
   * cluster's CA signed (client auth required), so a process without one can neither send to a
   * defender's inbox nor receive from it. No host-name check: node addresses change (pods), membership
   * in the CA is the credential, so give the cluster a CA of its own.
   */
  public static EventBusOptions eventBusOptions(ClusterSettings settings) {
    EventBusOptions eventBus = new EventBusOptions();
    if (!ANY_HOST.equals(settings.host())) {
      eventBus.setHost(settings.host());
    }
    TlsSettings tls = settings.tls();
    if (tls.enabled()) {
      eventBus.setSsl(true)
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile().toString()));
    }
    return eventBus;
  }

  /** The Hazelcast member configuration a node with these settings runs with. */
  public static Config hazelcastConfig(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement());
    if (ANY_HOST.equals(settings.host())) {
      network.getInterfaces().setEnabled(false);
    } else {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.host()));
      // Listen on that interface only: Hazelcast otherwise accepts members on every interface (0.0.0.0),
      // and open-source Hazelcast has no TLS or authentication beyond the cluster name to stop them.
      config.setProperty(BIND_ANY_PROPERTY, "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    if (settings.discoversByKubernetesDns()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", settings.kubernetesServiceDns())
          .setProperty("service-port", Integer.toString(settings.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    }
    return config;
  }
}
