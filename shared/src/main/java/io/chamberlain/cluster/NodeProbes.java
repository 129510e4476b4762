package io.chamberlain.cluster;

import io.chamberlain.config.BearerToken;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every node answers for its orchestrator and its scraper, on the same paths on every node:
 * <ul>
 *   <li>{@code GET /health} — liveness: 200 while the process runs and its event loop answers,
 *       with what the node is ({@code details}); never failed by a dependency, so an outage of
 *       NATS does not get every node restarted;
 *   <li>{@code GET /ready} — readiness: 200 {@code READY} when every check holds, else 503
 *       {@code NOT_READY}; the body names each check and whether it holds;
 *   <li>{@code GET /metrics} — the node's Prometheus registry.
 * </ul>
 * The gateway mounts these on its status API (and guards its {@code /metrics} there); a worker serves
 * them alone ({@link #listen}), where {@code /metrics} needs {@code http.readToken} when one is set
 * (401 without a bearer token, 403 with another; compared in constant time by {@link BearerToken}, never
 * logged or echoed). {@code /health} and {@code /ready} stay open: orchestrators send no token.
 */
public final class NodeProbes {

  private final Map<String, BooleanSupplier> readiness;
  private final Supplier<JsonObject> details;
  private final PrometheusMeterRegistry registry;

  /**
   * @param readiness named checks, in the order they are reported
   * @param details what {@code /health} says about the node besides {@code "status": "UP"}
   */
  public NodeProbes(Map<String, BooleanSupplier> readiness, Supplier<JsonObject> details, PrometheusMeterRegistry registry) {
    this.readiness = new LinkedHashMap<>(readiness);
    this.details = details;
    this.registry = registry;
  }

  /** The readiness checks now: {@code {"status": READY|NOT_READY, "checks": {name: true|false}}}. */
  public JsonObject readiness() {
    JsonObject checks = new JsonObject();
    boolean ready = true;
    for (Map.Entry<String, BooleanSupplier> check : readiness.entrySet()) {
      boolean holds = check.getValue().getAsBoolean();
      checks.put(check.getKey(), holds);
      ready &= holds;
    }
    return new JsonObject().put("status", ready ? "READY" : "NOT_READY").put("checks", checks);
  }

  public void health(HttpServerResponse response) {
    json(response, 200, new JsonObject().put("status", "UP").mergeIn(details.get()));
  }

  public void ready(HttpServerResponse response) {
    JsonObject readiness = readiness();
    json(response, "READY".equals(readiness.getString("status")) ? 200 : 503, readiness);
  }

  public void metrics(HttpServerResponse response) {
    response.putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }

  /**
   * Serves the three paths alone on {@code host:port} (0: any free port; see {@link HttpServer#actualPort}).
   *
   * @param readToken the bearer token {@code /metrics} needs ({@code http.readToken}); empty: open
   */
  public Future<HttpServer> listen(Vertx vertx, String host, int port, String readToken) {
    BearerToken token = BearerToken.of(readToken);
    // HTTP/1.1 only, as the gateway's API: probes and scrapers never need the clear-text HTTP/2 upgrade.
    return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(request -> handle(request, token)).listen(port, host);
  }

  private void handle(HttpServerRequest request, BearerToken readToken) {
    if (request.method() != io.vertx.core.http.HttpMethod.GET) {
      json(request.response(), 405, new JsonObject().put("error", request.method() + " is not allowed; GET /health, /ready or /metrics"));
      return;
    }
    switch (request.path()) {
      case "/health" -> health(request.response());
      case "/ready" -> ready(request.response());
      case "/metrics" -> {
        if (mayRead(request, readToken)) {
          metrics(request.response());
        }
      }
      default -> json(request.response(), 404, new JsonObject().put("error", "no such path " + request.path()
          + "; this node serves GET /health, /ready and /metrics"));
    }
  }

  /** True when {@code /metrics} may be read; else answers 401 (no bearer token) or 403 (another one). */
  private static boolean mayRead(HttpServerRequest request, BearerToken readToken) {
    if (!readToken.isSet()) {
      return true;
    }
    String presented = BearerToken.presented(request.getHeader("Authorization"));
    if (presented == null) {
      request.response().putHeader("WWW-Authenticate", "Bearer realm=\"chamberlain\"");
      json(request.response(), 401, new JsonObject().put("error",
          "/metrics needs 'Authorization: Bearer <http.readToken>' (this worker's http.readToken)"));
      return false;
    }
    if (!readToken.matches(presented)) {
      json(request.response(), 403, new JsonObject().put("error", "the bearer token is not this worker's http.readToken"));
      return false;
    }
    return true;
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
  }
}
