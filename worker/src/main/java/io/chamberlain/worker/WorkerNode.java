package io.chamberlain.worker;

import io.chamberlain.cluster.ClusteredVertx;
import io.chamberlain.cluster.LeaderElection;
import io.chamberlain.wire.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.nats.client.Connection;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;

/**
 * A running defender: clustered Vert.x, its NATS connection and the {@link DefenderVerticle}.
 * {@link #stop()} is the graceful path of a rolling update: announce the restart (the leader holds
 * the chambers for the grace period), let chambers finish their events in flight, leave the
 * cluster. A SIGKILL skips it; the leader learns from the cluster ("member removed") or from the
 * missing heartbeats.
 */
public final class WorkerNode {

  private static final System.Logger LOG = System.getLogger(WorkerNode.class.getName());
  private static final long ANNOUNCE_TIMEOUT_MILLIS = 2_000;

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
          return LeaderElection.deployIfEnabled(node, nats, config.leader()).compose(ignored -> node.vertx()
              .deployVerticle(new DefenderVerticle(config, nodeId, link.jetStream(), processor)))
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
    // Announce first, so the leader holds this defender's chambers instead of moving them.
    Future<?> drained = node.vertx().eventBus()
        .request(Addresses.DEFENDER_RESTARTING, new JsonObject().put("defenderId", config.defenderId()),
            new DeliveryOptions().setSendTimeout(ANNOUNCE_TIMEOUT_MILLIS))
        .otherwiseEmpty()
        .compose(ignored -> node.vertx().undeploy(deploymentId))
        .eventually(() -> node.vertx().executeBlocking(() -> {
          nats.close();
          return null;
        }));
    return node.closeAfter(drained).whenComplete((result, failure) -> LOG.log(System.Logger.Level.INFO,
        "defender: [" + config.defenderId() + "] stopped"));
  }
}
