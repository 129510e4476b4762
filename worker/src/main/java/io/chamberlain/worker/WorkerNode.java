package io.chamberlain.worker;

import io.chamberlain.cluster.ClusteredVertx;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.nats.client.Connection;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;

/**
 * A running defender: clustered Vert.x, its NATS connection and the {@link DefenderVerticle}.
 * {@link #stop()} is the graceful path (chambers finish their events in flight, then the node
 * leaves the cluster); a SIGKILL skips it and the leader notices the silence.
 */
public final class WorkerNode {

  private static final System.Logger LOG = System.getLogger(WorkerNode.class.getName());

  private final WorkerConfig config;
  private final ClusteredVertx.Node node;
  private final Connection nats;
  private final String deploymentId;

  private WorkerNode(WorkerConfig config, ClusteredVertx.Node node, Connection nats, String deploymentId) {
    this.config = config;
    this.node = node;
    this.nats = nats;
    this.deploymentId = deploymentId;
  }

  public static Future<WorkerNode> start(WorkerConfig config, ChamberProcessor processor) {
    return ClusteredVertx.start(config.cluster(), config.workerThreads()).compose(node ->
        node.vertx().executeBlocking(() -> {
          Connection nats = NatsConnector.connect(config.natsUrl(), "defender-" + config.defenderId());
          JetStreamSetup.ensureVerdicts(nats);
          return new NatsLink(nats, nats.jetStream());
        }).compose(link -> {
          Connection nats = link.connection();
          String nodeId = node.clusterManager().getNodeId();
          return node.vertx()
              .deployVerticle(new DefenderVerticle(config, nodeId, link.jetStream(), processor))
              .map(deploymentId -> {
                LOG.log(System.Logger.Level.INFO, "defender: [" + config.defenderId() + "] version ["
                    + config.version() + "] up on node [" + nodeId + "]");
                return new WorkerNode(config, node, nats, deploymentId);
              });
        }));
  }

  private record NatsLink(Connection connection, io.nats.client.JetStream jetStream) {
  }

  public String defenderId() {
    return config.defenderId();
  }

  public ClusteredVertx.Node node() {
    return node;
  }

  /** Graceful stop: undeploy (chambers drain), close NATS, leave the cluster. */
  public CompletionStage<Void> stop() {
    Future<?> drained = node.vertx().undeploy(deploymentId)
        .eventually(() -> node.vertx().executeBlocking(() -> {
          nats.close();
          return null;
        }));
    return node.closeAfter(drained).whenComplete((result, failure) -> LOG.log(System.Logger.Level.INFO,
        "defender: [" + config.defenderId() + "] stopped"));
  }
}
