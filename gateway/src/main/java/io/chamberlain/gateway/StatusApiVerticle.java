package io.chamberlain.gateway;

import io.chamberlain.domain.Ids;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.vertx.core.eventbus.DeliveryOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The gateway's HTTP face: {@code GET /health}, {@code GET /api/cluster} (the leader's view),
 * {@code GET /api/assignments?defender=&tool=} (home {@code owner}, {@code leasedTo} while the home
 * restarts; {@code defender} matches either), {@code GET /api/stats} (this gateway's throughput
 * and latency), {@code GET /metrics} (Prometheus), and the authenticated operations
 * {@code POST /api/defenders/{id}/drain|undrain}.
 */
final class StatusApiVerticle extends VerticleBase {

  private static final long LEADER_TIMEOUT_MILLIS = 2_000;

  private final String host;
  private final String adminToken;
  private final int port;
  private final Connection nats;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private final Supplier<Set<Integer>> lanesHeld;
  private final int laneCount;
  private HttpServer server;

  StatusApiVerticle(String host, int port, String adminToken, Connection nats, PrometheusMeterRegistry registry,
      GatewayMetrics metrics, Supplier<Set<Integer>> lanesHeld, int laneCount) {
    this.lanesHeld = lanesHeld;
    this.laneCount = laneCount;
    this.host = host;
    this.adminToken = adminToken;
    this.port = port;
    this.nats = nats;
    this.registry = registry;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/api/cluster").handler(this::cluster);
    router.get("/api/stats").handler(ctx -> json(ctx, 200, metrics.snapshot().put("ingestion", ingestion())));
    router.get("/api/assignments").handler(this::assignments);
    router.post("/api/defenders/:id/drain").handler(ctx -> drain(ctx, true));
    router.post("/api/defenders/:id/undrain").handler(ctx -> drain(ctx, false));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(port, host);
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  int actualPort() {
    return server.actualPort();
  }

  private void health(RoutingContext ctx) {
    String natsStatus = nats.getStatus().name();
    boolean up = nats.getStatus() == Connection.Status.CONNECTED;
    json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DEGRADED").put("nats", natsStatus)
        .put("ingestion", ingestion()).put("lanes", new JsonArray(List.copyOf(new TreeSet<>(lanesHeld.get()))))
        .put("laneCount", laneCount));
  }

  /** {@code active} while this gateway holds an ingestion lane, {@code standby} otherwise. */
  private String ingestion() {
    return lanesHeld.get().isEmpty() ? "standby" : "active";
  }

  private void cluster(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, new JsonObject(),
            new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(failure -> json(ctx, 503, new JsonObject()
            .put("error", "no leader answered within " + LEADER_TIMEOUT_MILLIS + " ms: " + failure.getMessage())));
  }

  /** The current assignment, optionally filtered: {@code ?defender=ID&tool=TOOL}. */
  private void assignments(RoutingContext ctx) {
    String defender = ctx.request().getParam("defender");
    String tool = ctx.request().getParam("tool");
    vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject(),
            new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onSuccess(reply -> {
          AssignmentSnapshot snapshot = AssignmentSnapshot.fromJson(reply.body());
          JsonObject chambers = new JsonObject();
          snapshot.chambers().forEach((chamber, entry) -> {
            boolean ofDefender = defender == null || defender.equals(entry.owner()) || defender.equals(entry.leasedTo());
            if (ofDefender && (tool == null || tool.equals(chamber.toolId()))) {
              JsonObject line = new JsonObject().put("owner", entry.owner());
              if (entry.leasedTo() != null) {
                line.put("leasedTo", entry.leasedTo());
              }
              chambers.put(chamber.toString(), line.put("weight", entry.weight()));
            }
          });
          json(ctx, 200, new JsonObject().put("epoch", snapshot.epoch()).put("count", chambers.size()).put("chambers", chambers));
        })
        .onFailure(failure -> json(ctx, 503, new JsonObject().put("error", "no leader answered: " + failure.getMessage())));
  }

  /**
   * Operator: drain a defender (its chambers move away; it keeps running with none) or undrain it.
   * Needs {@code Authorization: Bearer <http.adminToken>}; with no token configured, operations are off.
   */
  private void drain(RoutingContext ctx, boolean drain) {
    if (adminToken.isEmpty()) {
      json(ctx, 403, new JsonObject().put("error", "operations are disabled: set http.adminToken (CHAMBERLAIN_HTTP_ADMIN_TOKEN)"));
      return;
    }
    if (!("Bearer " + adminToken).equals(ctx.request().getHeader("Authorization"))) {
      json(ctx, 401, new JsonObject().put("error", "missing or wrong 'Authorization: Bearer <token>'"));
      return;
    }
    String defenderId = ctx.pathParam("id");
    String problem = Ids.problem(defenderId);
    if (problem != null) {
      json(ctx, 400, new JsonObject().put("error", "defender id '" + defenderId + "' " + problem));
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.DEFENDER_DRAIN,
            new JsonObject().put("defenderId", defenderId).put("drain", drain),
            new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(failure -> json(ctx, 503, new JsonObject().put("error", "no leader answered: " + failure.getMessage())));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
  }
}
