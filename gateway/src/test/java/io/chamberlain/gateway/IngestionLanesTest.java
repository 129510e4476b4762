package io.chamberlain.gateway;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.LaneMappingConfig;
import io.chamberlain.testkit.TestingCluster;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ingestion lanes on the adapters' test kit: two clustered gateways split the lanes between them,
 * each lane held by one; when one gateway leaves, the survivor takes its lanes over.
 */
class IngestionLanesTest {

  private static final int LANES = 4;
  private static final IngestSettings SETTINGS = new IngestSettings("memory", Duration.ofHours(1), 64L << 20,
      Duration.ofSeconds(10), 1000, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(1_700),
      Duration.ofMillis(100), Duration.ofSeconds(1), 3, LANES, IngestSettings.DEFAULT_MAX_EVENT_BYTES);

  @Test
  void twoGatewaysSplitTheLanesAndTheSurvivorTakesOverTheLanesOfOneThatLeft() throws Exception {
    try (TestingCluster cluster = TestingCluster.start(2, LaneMappingConfig.render(LANES))) {
      JetStreamSetup.ensureCompletions(cluster.node(0).nats(),
          new JetStreamSetup.CompletionLimits(StorageType.Memory, SETTINGS.maxAge(), SETTINGS.maxBytes(), LANES));
      JetStreamSetup.ensureDeadLetters(cluster.node(0).nats());
      JetStreamSetup.ensureVerdicts(cluster.node(0).nats());
      IngestionLanes first = deployLanes(cluster.node(0));
      IngestionLanes second = deployLanes(cluster.node(1));

      await("each gateway holds its share, every lane held").atMost(seconds(30))
          .until(() -> first.held().size() == LANES / 2 && second.held().size() == LANES / 2
              && union(first.held(), second.held()).size() == LANES);
      Set<Integer> overlap = new TreeSet<>(first.held());
      overlap.retainAll(second.held());
      assertEquals(Set.of(), overlap, "a lane is held by one gateway only");

      cluster.stop(1);
      await("the survivor holds every lane").atMost(seconds(30)).until(() -> first.held().size() == LANES);
    }
  }

  private static IngestionLanes deployLanes(TestingCluster.Node node) throws Exception {
    IngestionLanes lanes = new IngestionLanes(node.nats(), 1, SETTINGS, 500,
        new GatewayMetrics(node.clustered().registry(), Duration.ofSeconds(5)), new GatewayActivity(node.nodeId()),
        node.clustered().clusterManager());
    node.vertx().deployVerticle(lanes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return lanes;
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
