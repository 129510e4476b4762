package io.chamberlain.worker;

import io.chamberlain.cluster.ClusteredVertx;
import io.chamberlain.cluster.NodeProbes;
import io.chamberlain.cluster.LeaderElection;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.nats.client.Connection;
import io.chamberlain.cluster.CatalogLoader;
import io.chamberlain.config.ConfigException;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.worker.defense.DefenseSelector;
import io.chamberlain.worker.runtime.ChamberCache;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.chamberlain.worker.runtime.CostMeter;
import io.chamberlain.worker.runtime.DefenderServices;
import io.chamberlain.worker.runtime.DefenseWork;
import io.chamberlain.worker.runtime.TraceSource;
import io.chamberlain.worker.runtime.WorkerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  /** How long a stopping worker waits for the leader to hold its chambers before it drains anyway. */
  public static final long ANNOUNCE_TIMEOUT_MILLIS = 2_000;

  private final WorkerConfig config;
  private final ClusteredVertx.Node node;
  private final Started started;
  private final DefenderVerticle defender;
  private final String deploymentId;
  private final int httpPort;

  private WorkerNode(WorkerConfig config, ClusteredVertx.Node node, Started started, DefenderVerticle defender,
      String deploymentId, int httpPort) {
    this.httpPort = httpPort;
    this.config = config;
    this.node = node;
    this.started = started;
    this.defender = defender;
    this.deploymentId = deploymentId;
  }

  public static Future<WorkerNode> start(WorkerConfig config) {
    return start(config, null);
  }

  /** As {@link #start(WorkerConfig)}, its Hazelcast member created by {@code members} (tests; {@code null}: the stock way). */
  public static Future<WorkerNode> start(WorkerConfig config, ClusteredVertx.MemberFactory members) {
    return ClusteredVertx.start(config.cluster(), config.workerThreads(), config.leader().enabled(), members).compose(node -> {
      Vertx vertx = node.vertx();
      String nodeId = node.clusterManager().getNodeId();
      Future<List<ChamberProfile>> catalog = CatalogLoader.load(vertx, config.leader().chambersFile());
      Future<JsonArray> defenseRules = defenseRules(vertx, config.defenseProcessesFile());
      return Future.all(catalog, defenseRules)
          .compose(loaded -> vertx.executeBlocking(() -> connect(config, node.registry(), catalog.result(),
              defenseRules.result())))
          .compose(started -> {
            DefenderVerticle defender = new DefenderVerticle(config, nodeId, started.services());
            return LeaderElection.deployIfEnabled(node, started.nats(), config.natsReplicas(), config.leader(), () -> false)
                .compose(ignored -> vertx.deployVerticle(defender))
                .compose(deploymentId -> probes(config, node, started.nats(), defender)
                    .listen(vertx, config.httpHost(), config.httpPort(), config.httpReadToken())
                    .map(server -> {
                      LOG.log(System.Logger.Level.INFO, "defender: [" + config.defenderId() + "] version ["
                          + config.version() + "] up on node [" + nodeId + "], /health /ready /metrics on port ["
                          + server.actualPort() + "]");
                      return new WorkerNode(config, node, started, defender, deploymentId, server.actualPort());
                    }));
          });
    });
  }

  /**
   * Ready when NATS is connected, the node is in the cluster, the defender has deployed the chambers
   * of an assignment, and it is not handing over for a restart.
   */
  private static NodeProbes probes(WorkerConfig config, ClusteredVertx.Node node, Connection nats, DefenderVerticle defender) {
    Map<String, java.util.function.BooleanSupplier> checks = new java.util.LinkedHashMap<>();
    checks.put("nats", () -> nats.getStatus() == Connection.Status.CONNECTED);
    checks.put("cluster", () -> node.clusterManager().getHazelcastInstance().getLifecycleService().isRunning());
    checks.put("assignment", () -> defender.servingEpoch() > 0);
    checks.put("serving", () -> !defender.stopping());
    io.micrometer.core.instrument.Gauge.builder("chamberlain.chambers.served", defender, DefenderVerticle::servedCount)
        .tag("defender", config.defenderId()).description("chambers this defender serves now (home and deputy)")
        .register(node.registry());
    return new NodeProbes(checks, () -> new JsonObject().put("defenderId", config.defenderId())
        .put("version", config.version()).put("nodeId", node.clusterManager().getNodeId())
        .put("nats", nats.getStatus().name()), node.registry());
  }

  private static Started connect(WorkerConfig config, io.micrometer.core.instrument.MeterRegistry registry,
      List<ChamberProfile> catalog, JsonArray defenseRules) throws Exception {
    Connection nats = NatsConnector.connect(config.nats(), "defender-" + config.defenderId());
    JetStreamSetup.ensureVerdicts(nats, config.natsReplicas());
    Map<ChamberKey, ChamberProfile> profiles = new TreeMap<>();
    catalog.forEach(profile -> profiles.put(profile.chamber(), profile));
    TraceGenerator generator = new TraceGenerator(new TraceGenerator.Settings(0, config.generatedFaultRate(), 3));
    ChamberCache cache = new ChamberCache();
    DefenderServices services = new DefenderServices(config.defenderId(), nats.jetStream(),
        ChamberStateStore.open(nats, config.natsReplicas()), new TraceSource(nats, generator), DefenseSelector.fromConfig(defenseRules),
        profiles, cache, new CostMeter(), () -> nats.getStatus() == Connection.Status.CONNECTED,
        new WorkerMetrics(registry, config.defenderId(), cache), new DefenseWork(config.workerThreads()));
    return new Started(nats, services);
  }

  /** The {@code processes} list of {@code defense.processesFile}, or {@code null} for "built-in everywhere". */
  private static Future<JsonArray> defenseRules(Vertx vertx, String file) {
    if (file == null || file.isBlank()) {
      return Future.succeededFuture(null);
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      return Future.failedFuture(new ConfigException("defense.processesFile " + path.toAbsolutePath() + " does not exist"));
    }
    return CatalogLoader.readYaml(vertx, path).compose(tree -> tree.getValue("processes") instanceof JsonArray rules
        ? Future.succeededFuture(rules)
        : Future.failedFuture(new ConfigException("defense.processesFile " + path
            + " must hold a list 'processes' of {match, process, options}")));
  }

  private record Started(Connection nats, DefenderServices services) {
  }

  public String defenderId() {
    return config.defenderId();
  }

  public ClusteredVertx.Node node() {
    return node;
  }

  /** The port of this worker's /health, /ready and /metrics. */
  public int httpPort() {
    return httpPort;
  }

  /**
   * An abrupt end, as a crash looks to the rest of the cluster: no restart announcement, no drain —
   * NATS closes, then the node leaves the cluster. For tests that run nodes in one JVM; a real crash
   * is a killed process.
   */
  public CompletionStage<Void> halt() {
    Future<?> closed = node.vertx().executeBlocking(() -> {
      started.nats().close();
      started.services().selector().close();
      started.services().work().close();
      return null;
    });
    return node.closeAfter(closed);
  }

  /** Graceful stop: undeploy (chambers drain), close NATS, leave the cluster. */
  public CompletionStage<Void> stop() {
    // Announce first, so the leader holds this defender's chambers instead of moving them.
    Future<?> drained = defender.announceRestart(ANNOUNCE_TIMEOUT_MILLIS)
        .compose(ignored -> node.vertx().undeploy(deploymentId))
        .eventually(() -> node.vertx().executeBlocking(() -> {
          started.services().selector().close();
          started.services().work().close();
          started.nats().close();
          return null;
        }));
    return node.closeAfter(drained).whenComplete((result, failure) -> LOG.log(System.Logger.Level.INFO,
        "defender: [" + config.defenderId() + "] stopped"));
  }
}
