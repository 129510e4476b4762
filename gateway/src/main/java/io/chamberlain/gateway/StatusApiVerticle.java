package io.chamberlain.gateway;

import io.chamberlain.wire.Addresses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The gateway's HTTP face: {@code GET /health}, {@code GET /api/cluster} (the leader's view),
 * {@code GET /api/stats} (this gateway's throughput and latency) and {@code GET /metrics}
 * (Prometheus).
 */
final class StatusApiVerticle extends VerticleBase {

  private static final long LEADER_TIMEOUT_MILLIS = 2_000;

  private final String host;
  private final int port;
  private final Connection nats;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private HttpServer server;

  StatusApiVerticle(String host, int port, Connection nats, PrometheusMeterRegistry registry, GatewayMetrics metrics) {
    this.host = host;
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
    router.get("/api/stats").handler(ctx -> json(ctx, 200, metrics.snapshot()));
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
    json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DEGRADED").put("nats", natsStatus));
  }

  private void cluster(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, new JsonObject(),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(failure -> json(ctx, 503, new JsonObject()
            .put("error", "no leader answered within " + LEADER_TIMEOUT_MILLIS + " ms: " + failure.getMessage())));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
  }
}
