package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  private static final String READ_TOKEN = "worker-read-token-0123456789";

  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean natsUp = new AtomicBoolean(true);
  private NodeProbes probes;
  private int port;

  @BeforeEach
  void listen() throws Exception {
    registry.counter("chamberlain_probe_test_total").increment();
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("nats", natsUp::get);
    checks.put("assignment", () -> true);
    probes = new NodeProbes(checks, () -> new JsonObject().put("defenderId", "defender-1"), registry);
    port = serve("");
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

  @Test
  void withoutAReadTokenMetricsAreOpen() throws Exception {
    HttpResponse<String> metrics = get(port, "/metrics", null);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("chamberlain_probe_test_total"), metrics.body());
  }

  @Test
  void withAReadTokenMetricsNeedItAndTheProbesStayOpen() throws Exception {
    int secured = serve(READ_TOKEN);
    HttpResponse<String> none = get(secured, "/metrics", null);
    assertEquals(401, none.statusCode());
    String challenge = none.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer"), "WWW-Authenticate: " + challenge);
    assertEquals("application/json", none.headers().firstValue("content-type").orElse(""));
    assertTrue(new JsonObject(none.body()).getString("error").contains("Authorization: Bearer <http.readToken>"), none.body());
    HttpResponse<String> otherScheme = get(secured, "/metrics", "Basic YTpi");
    assertEquals(401, otherScheme.statusCode(), "not a bearer token");

    HttpResponse<String> wrong = get(secured, "/metrics", "Bearer not-" + READ_TOKEN);
    assertEquals(403, wrong.statusCode());
    assertFalse(wrong.body().contains(READ_TOKEN), "the token is never echoed: " + wrong.body());
    assertFalse(wrong.body().contains("chamberlain_probe_test_total"), wrong.body());

    HttpResponse<String> right = get(secured, "/metrics", "Bearer " + READ_TOKEN);
    assertEquals(200, right.statusCode());
    assertTrue(right.body().contains("chamberlain_probe_test_total 1.0"), right.body());

    assertEquals(200, get(secured, "/health", null).statusCode(), "liveness stays open: orchestrators send no token");
    assertEquals(200, get(secured, "/ready", null).statusCode(), "readiness stays open");
    assertEquals(200, get(secured, "/health", "Bearer wrong").statusCode(), "a probe does not look at a token");
  }

  private int serve(String readToken) throws Exception {
    return probes.listen(vertx, "127.0.0.1", 0, readToken).toCompletionStage().toCompletableFuture()
        .get(TestTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS).actualPort();
  }

  private HttpResponse<String> get(String path, String method) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).timeout(TestTimeouts.seconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(TestTimeouts.seconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
