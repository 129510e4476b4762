package io.chamberlain.gateway;

import io.chamberlain.config.HttpSecurity;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.DefenderMessages;
import io.chamberlain.wire.OperatorMessages;
import io.chamberlain.wire.ProfileChange;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Status APIs on real HTTP servers in one Vert.x, each with its own {@link HttpSecurity}, over a real
 * nats-server and a stand-in leader on the event bus that answers every operation as a leader does
 * (typed replies): what the security and bad-input tests need without a cluster.
 */
final class StatusApiHarness implements AutoCloseable {

  static final String ADMIN_TOKEN = "admin-token-0123456789";
  static final ChamberKey TOOL1_1 = ChamberKey.parse("tool001:1");

  final Vertx vertx = Vertx.vertx();
  private final NatsTestServer server;
  private final Connection nats;

  StatusApiHarness() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
    standInLeader();
  }

  /** A status API served with {@code security}, its meters in {@code registry}; returns it deployed. */
  StatusApiVerticle deploy(HttpSecurity security, PrometheusMeterRegistry registry) throws Exception {
    GatewayActivity activity = new GatewayActivity("gateway-test");
    LeaderView leaderView = new LeaderView(vertx);
    LiveFeed feed = new LiveFeed(vertx, registry, 30_000, security.maxLiveClients());
    LivePulse pulse = new LivePulse(vertx, "gateway-test", activity, Duration.ofSeconds(5),
        () -> new JsonObject().put("verdict", "OK").put("lanes", new JsonArray()), feed, leaderView);
    StatusApiVerticle api = new StatusApiVerticle("127.0.0.1", 0, ADMIN_TOKEN, security, nats, registry,
        new GatewayMetrics(registry, Duration.ofSeconds(5)), () -> Set.of(0), 1, () -> true, feed, pulse,
        new HistoryFeed(entry -> { }), activity, leaderView);
    vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return api;
  }

  static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Answers as a leader does, each reply through its codec (a request it cannot read is failed with 400). */
  private void standInLeader() throws Exception {
    JsonObject cluster = new JsonObject(golden("cluster-status.json"));
    JsonObject rebalanced = new JsonObject(golden("rebalanced.json"));
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-1", null, 3_600));
    AssignmentSnapshot assignment = new AssignmentSnapshot(42, 1_700_000_000_000L, chambers);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.ASSIGNMENT_CURRENT, message -> message.reply(assignment.toJson()));
    bus.<JsonObject>consumer(Addresses.LEADER_CHAMBER, message -> message.fail(400, "no detail here"));
    bus.<JsonObject>consumer(Addresses.LEADER_STATUS, message -> message.reply(cluster.copy()));
    answerDrainsAndProfiles(bus);
    bus.<JsonObject>consumer(Addresses.REBALANCE, message -> message.reply(rebalanced.copy()));
  }

  /** A leader's answers to drains and profile changes, each through its codec (shared with other stand-ins). */
  static void answerDrainsAndProfiles(io.vertx.core.eventbus.EventBus bus) {
    bus.<JsonObject>consumer(Addresses.DEFENDER_DRAIN, message -> {
      DefenderMessages.DrainRequest request = DefenderMessages.DrainRequest.fromJson(message.body());
      message.reply(new DefenderMessages.DrainState(request.defenderId(), request.drain()).toJson());
    });
    bus.<JsonObject>consumer(Addresses.CHAMBER_PROFILE, message -> {
      ProfileChange change = ProfileChange.fromJson(message.body());
      message.reply((change.removes()
          ? new OperatorMessages.ProfileApplied(change.chamber(), OperatorMessages.ProfileApplied.Result.REMOVED, null)
          : new OperatorMessages.ProfileApplied(change.chamber(), OperatorMessages.ProfileApplied.Result.REGISTERED,
              change.profile().weight())).toJson());
    });
  }

  private static String golden(String name) throws Exception {
    try (var in = StatusApiHarness.class.getResourceAsStream("/golden/" + name)) {
      return new String(java.util.Objects.requireNonNull(in, name + " is missing from the shared test jar").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      nats.close();
      server.close();
    }
  }
}
