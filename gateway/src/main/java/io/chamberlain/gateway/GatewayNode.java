package io.chamberlain.gateway;

import io.chamberlain.cluster.ClusteredVertx;
import io.chamberlain.cluster.LeaderVerticle;
import io.chamberlain.config.ConfigException;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.domain.ChamberCatalog;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A running gateway: clustered Vert.x, the NATS connection, the streams, the leader (for now every
 * gateway with {@code leader.enabled}), the ingestion lane and the status API.
 */
public final class GatewayNode {

  private static final System.Logger LOG = System.getLogger(GatewayNode.class.getName());

  private final ClusteredVertx.Node node;
  private final Connection nats;
  private final int httpPort;

  private GatewayNode(ClusteredVertx.Node node, Connection nats, int httpPort) {
    this.node = node;
    this.nats = nats;
    this.httpPort = httpPort;
  }

  public static Future<GatewayNode> start(GatewayConfig config) {
    return ClusteredVertx.start(config.cluster(), 4).compose(node -> {
      Vertx vertx = node.vertx();
      GatewayMetrics metrics = new GatewayMetrics(node.registry(), config.sla());
      return vertx.executeBlocking(() -> connectAndSetUpStreams(config))
          .compose(nats -> loadCatalog(vertx, config.chambersFile())
              .compose(catalog -> config.leaderEnabled()
                  ? vertx.deployVerticle(new LeaderVerticle(node.clusterManager().getNodeId(), catalog,
                      config.defenderTimeout())).mapEmpty()
                  : Future.succeededFuture())
              .compose(ignored -> vertx.deployVerticle(new IngestionVerticle(nats, config.ingest(), metrics)))
              .compose(ignored -> {
                StatusApiVerticle api = new StatusApiVerticle(config.httpHost(), config.httpPort(), nats,
                    node.registry(), metrics);
                return vertx.deployVerticle(api).map(id -> new GatewayNode(node, nats, api.actualPort()));
              }))
          .onSuccess(gateway -> LOG.log(System.Logger.Level.INFO, "gateway: up on node ["
              + node.clusterManager().getNodeId() + "], status API on port [" + gateway.httpPort + "]"));
    });
  }

  private static Connection connectAndSetUpStreams(GatewayConfig config) throws Exception {
    Connection nats = NatsConnector.connect(config.natsUrl(), "gateway");
    GatewayConfig.IngestSettings ingest = config.ingest();
    JetStreamSetup.ensureCompletions(nats, new JetStreamSetup.CompletionLimits(
        ingest.storage().equals("memory") ? StorageType.Memory : StorageType.File, ingest.maxAge(), ingest.maxBytes()));
    JetStreamSetup.ensureDeadLetters(nats);
    JetStreamSetup.ensureVerdicts(nats);
    return nats;
  }

  /** Reads the chamber catalog with Vert.x Config; an empty path means "discover chambers from events". */
  static Future<List<ChamberProfile>> loadCatalog(Vertx vertx, String file) {
    if (file == null || file.isBlank()) {
      return Future.succeededFuture(List.of());
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      return Future.failedFuture(new ConfigException("chambers.file " + path.toAbsolutePath()
          + " does not exist (set chambers.file to an existing YAML file, or to \"\" for auto-discovery only)"));
    }
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", path.toAbsolutePath().toString()));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml));
    return retriever.getConfig()
        .map(tree -> ChamberCatalog.parse(io.chamberlain.config.ConfigLoader.plainTree(tree), path.toString()))
        .eventually(() -> {
          retriever.close();
          return Future.succeededFuture();
        });
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
          nats.close();
          return null;
        }));
    return node.closeAfter(drained);
  }
}
