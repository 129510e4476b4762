package io.chamberlain.gateway;

import io.chamberlain.cluster.ClusteredVertx;
import io.chamberlain.cluster.LeaderElection;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * A running gateway: clustered Vert.x, the NATS connection, the streams, a leader candidacy (with
 * {@code leader.enabled}), its share of the ingestion lanes (none: it stands by), the lanes' lag, the
 * completions stream's room (made by the holder of lane 0) and the status API.
 */
public final class GatewayNode {

  private static final System.Logger LOG = System.getLogger(GatewayNode.class.getName());

  private final ClusteredVertx.Node node;
  private final Connection nats;
  private final int httpPort;
  private final HistoryFeed history;
  /** A live (WebSocket) client that has not read for this long is closed. */
  static final long LIVE_CLIENT_STALL_MILLIS = 30_000;

  private GatewayNode(ClusteredVertx.Node node, Connection nats, int httpPort, HistoryFeed history) {
    this.history = history;
    this.node = node;
    this.nats = nats;
    this.httpPort = httpPort;
  }

  public static Future<GatewayNode> start(GatewayConfig config) {
    return start(config, null);
  }

  /** As {@link #start(GatewayConfig)}, its Hazelcast member created by {@code members} (tests; {@code null}: the stock way). */
  public static Future<GatewayNode> start(GatewayConfig config, ClusteredVertx.MemberFactory members) {
    return ClusteredVertx.start(config.cluster(), 4, config.leader().enabled(), members).compose(node -> {
      Vertx vertx = node.vertx();
      GatewayMetrics metrics = new GatewayMetrics(node.registry(), config.sla());
      GatewayActivity activity = new GatewayActivity(node.clusterManager().getNodeId());
      return vertx.executeBlocking(() -> connectAndSetUpStreams(config)).compose(nats -> {
        IngestionLanes lanes = new IngestionLanes(nats, config.natsReplicas(), config.ingest(), config.leader().tuning().heartbeatIntervalMillis(),
            metrics, activity, node.clusterManager());
        LaneLagVerticle lag = new LaneLagVerticle(nats, config.ingest().lanes(), config.sla().toMillis(), node.registry());
        CompletionsRoomKeeper room = new CompletionsRoomKeeper(nats, config.ingest().lanes(), () -> lanes.held().contains(0),
            node.registry());
        return LeaderElection.deployIfEnabled(node, nats, config.natsReplicas(), config.leader(), () -> !lanes.held().isEmpty())
            .compose(ignored -> vertx.deployVerticle(lanes))
            .compose(ignored -> vertx.deployVerticle(lag))
            .compose(ignored -> vertx.deployVerticle(room))
            .compose(ignored -> {
              LiveFeed feed = new LiveFeed(vertx, node.registry(), LIVE_CLIENT_STALL_MILLIS, config.http().maxLiveClients());
              LeaderView leaderView = new LeaderView(vertx);
              LivePulse pulse = new LivePulse(vertx, node.clusterManager().getNodeId(), activity, config.sla(), lag::view, feed,
                  leaderView);
              HistoryFeed history = new HistoryFeed(feed::history);
              StatusApiVerticle api = new StatusApiVerticle(config.httpHost(), config.httpPort(), config.adminToken(), config.http(), nats,
                  node.registry(), metrics, lanes::held, lanes.laneCount(),
                  () -> node.clusterManager().getHazelcastInstance().getLifecycleService().isRunning(), feed, pulse, history,
                  activity, leaderView);
              return vertx.deployVerticle(api)
                  .compose(id -> vertx.executeBlocking(() -> {
                    history.start(nats, config.natsReplicas());
                    return null;
                  }))
                  .map(started -> new GatewayNode(node, nats, api.actualPort(), history));
            });
      })
          .onSuccess(gateway -> LOG.log(System.Logger.Level.INFO, "gateway: up on node ["
              + node.clusterManager().getNodeId() + "], status API on port [" + gateway.httpPort + "]"));
    });
  }

  private static Connection connectAndSetUpStreams(GatewayConfig config) throws Exception {
    Connection nats = NatsConnector.connect(config.nats(), "gateway");
    GatewayConfig.IngestSettings ingest = config.ingest();
    JetStreamSetup.ensureCompletions(nats, new JetStreamSetup.CompletionLimits(
        ingest.storage().equals("memory") ? StorageType.Memory : StorageType.File, ingest.maxAge(), ingest.maxBytes(), ingest.lanes(),
        config.natsReplicas()));
    JetStreamSetup.ensureDeadLetters(nats, config.natsReplicas());
    JetStreamSetup.ensureVerdicts(nats, config.natsReplicas());
    return nats;
  }

  public int httpPort() {
    return httpPort;
  }

  public ClusteredVertx.Node node() {
    return node;
  }

  public CompletionStage<Void> stop() {
    // Verticles first (ingestion stops pulling, in-flight replies land), then NATS, then the cluster.
    Future<?> drained = Future.join(node.vertx().deploymentIDs().stream().map(id -> node.vertx().undeploy(id)).toList())
        .eventually(() -> node.vertx().executeBlocking(() -> {
          history.stop();
          nats.close();
          return null;
        }));
    return node.closeAfter(drained);
  }
}
