package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.TestTimeouts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeProbesTest {

  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean natsUp = new AtomicBoolean(true);
  private int port;

  @BeforeEach
  void listen() throws Exception {
    registry.counter("chamberlain_probe_test_total").increment();
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("nats", natsUp::get);
    checks.put("assignment", () -> true);
    NodeProbes probes = new NodeProbes(checks, () -> new JsonObject().put("defenderId", "defender-1"), registry);
    port = probes.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture()
        .get(TestTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS).actualPort();
  }

  @AfterEach
  void close() {
    vertx.close();
    registry.close();
  }

  @Test
  void readyOnlyWhileEveryCheckHoldsAndSaysWhichFails() throws Exception {
    HttpResponse<String> ready = get("/ready", "GET");
    assertEquals(200, ready.statusCode());
    assertEquals(new JsonObject().put("status", "READY").put("checks", new JsonObject().put("nats", true).put("assignment", true)),
        new JsonObject(ready.body()));
    natsUp.set(false);
    HttpResponse<String> notReady = get("/ready", "GET");
    assertEquals(503, notReady.statusCode());
    assertEquals(false, new JsonObject(notReady.body()).getJsonObject("checks").getBoolean("nats"));
    assertEquals(200, get("/health", "GET").statusCode(), "liveness does not fail with a dependency");
  }

  @Test
  void healthSaysWhatTheNodeIsAndMetricsAreTheNodesRegistry() throws Exception {
    JsonObject health = new JsonObject(get("/health", "GET").body());
    assertEquals("UP", health.getString("status"));
    assertEquals("defender-1", health.getString("defenderId"));
    HttpResponse<String> metrics = get("/metrics", "GET");
    assertTrue(metrics.body().contains("chamberlain_probe_test_total 1.0"), metrics.body());
  }

  @Test
  void anythingElseIsRefusedWithAReason() throws Exception {
    HttpResponse<String> unknown = get("/api/cluster", "GET");
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("GET /health, /ready and /metrics"), unknown.body());
    assertEquals(405, get("/ready", "POST").statusCode());
  }

  private HttpResponse<String> get(String path, String method) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).timeout(TestTimeouts.seconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
