package io.chamberlain.testkit;

import com.hazelcast.core.HazelcastInstance;
import io.chamberlain.cluster.ClusteredVertx;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The adapters' test kit, after Curator's {@code TestingCluster}: N clustered Vert.x nodes in this
 * JVM — each a Hazelcast member on 127.0.0.1 of a cluster with a name of its own, discovered over
 * TCP-IP — one real {@code nats-server -js}, and per node a {@link ShiftableClock} and a NATS
 * connection. Tests deploy the real adapters (election, leader, publisher, lanes) on the nodes,
 * stop nodes (they leave the cluster: the others see "member removed"), and move a node's clock.
 * Every wait is bounded and scaled by {@link TestTimeouts}.
 */
public final class TestingCluster implements AutoCloseable {

  /** One node: its clustered Vert.x, the clock its adapters are given, and its own NATS connection. */
  public record Node(ClusteredVertx.Node clustered, ShiftableClock clock, Connection nats) {

    public Vertx vertx() {
      return clustered.vertx();
    }

    public String nodeId() {
      return clustered.clusterManager().getNodeId();
    }

    public HazelcastInstance hazelcast() {
      return clustered.clusterManager().getHazelcastInstance();
    }
  }

  private static final Duration START_TIMEOUT = TestTimeouts.seconds(60);

  private final NatsTestServer nats;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Boolean> running = new ArrayList<>();

  private TestingCluster(NatsTestServer nats) {
    this.nats = nats;
  }

  /** Starts the nats-server and {@code size} clustered nodes (all leader candidates), and waits until they see each other. */
  public static TestingCluster start(int size) throws Exception {
    return start(size, "");
  }

  /** As {@link #start(int)}, with {@code natsConfig} added to the server's configuration (e.g. the lanes' mapping). */
  public static TestingCluster start(int size, String natsConfig) throws Exception {
    TestingCluster cluster = new TestingCluster(NatsTestServer.start(natsConfig));
    try {
      TestClusters settings = new TestClusters(size);
      for (int i = 0; i < size; i++) {
        ClusteredVertx.Node clustered = ClusteredVertx.start(settings.member(i), 2, true)
            .toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        cluster.nodes.add(new Node(clustered, new ShiftableClock(), Nats.connect(cluster.nats.url())));
        cluster.running.add(true);
      }
      org.awaitility.Awaitility.await("every node sees " + size + " members").atMost(START_TIMEOUT)
          .until(() -> cluster.nodes.stream().allMatch(node -> node.hazelcast().getCluster().getMembers().size() == size));
      return cluster;
    } catch (Exception | Error failed) {
      cluster.close();
      throw failed;
    }
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  public NatsTestServer natsServer() {
    return nats;
  }

  /** Closes node {@code index}: it leaves the cluster, and its NATS connection closes. */
  public void stop(int index) throws Exception {
    if (!running.get(index)) {
      return;
    }
    running.set(index, false);
    Node node = nodes.get(index);
    node.clustered().closeAfter(io.vertx.core.Future.succeededFuture()).toCompletableFuture()
        .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    node.nats().close();
  }

  @Override
  public void close() throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      try {
        stop(i);
      } catch (Exception e) {
        // go on: the other nodes and the server must not be left behind
      }
    }
    nats.close();
  }
}
