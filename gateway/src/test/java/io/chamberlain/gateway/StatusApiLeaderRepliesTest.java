package io.chamberlain.gateway;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.HttpSecurity;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.ChamberDetail;
import io.chamberlain.wire.OperatorMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The status API over the leader's typed replies, on a real HTTP server with a stand-in leader on the
 * event bus answering with the golden bodies ({@code shared/src/test/resources/golden/}): every
 * response matches the OpenAPI document the gateway serves (Vert.x's validator, as
 * {@code StatusApiContractIT} checks on a whole cluster), {@code /api/cluster} is the leader's view
 * with the lag verdicts added and nothing else, each operation answers with the leader's reply, and a
 * leader's reply the gateway cannot read is a 503 problem, not passed on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusApiLeaderRepliesTest {

  private static final String TOKEN = "operator-token";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final ChamberKey TOOL1_1 = ChamberKey.parse("tool001:1");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private Vertx vertx;
  private NatsTestServer server;
  private Connection nats;
  private PrometheusMeterRegistry registry;
  private ResponseValidator validator;
  private int port;
  /** What the stand-in leader answers a rebalance with. */
  private final AtomicReference<JsonObject> rebalanceReply = new AtomicReference<>();

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    standInLeader();
    Path document = Files.createTempFile("openapi-", ".yaml");
    // vertx-openapi knows no application/problem+json (see StatusApiContractIT): its copy says application/json.
    Files.writeString(document, StatusApiVerticle.OPENAPI.replace(PROBLEM_JSON, "application/json"));
    validator = ResponseValidator.create(vertx, OpenAPIContract.from(vertx, document.toString())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    Files.delete(document);
    GatewayActivity activity = new GatewayActivity("gateway-test");
    LeaderView leaderView = new LeaderView(vertx);
    LiveFeed feed = new LiveFeed(vertx, new SimpleMeterRegistry(), 30_000, 16);
    LivePulse pulse = new LivePulse(vertx, "gateway-test", activity, Duration.ofSeconds(5),
        () -> new JsonObject().put("verdict", "OK").put("lanes", new JsonArray()), feed, leaderView);
    StatusApiVerticle api = new StatusApiVerticle("127.0.0.1", 0, TOKEN, HttpSecurity.OPEN, nats, registry,
        new GatewayMetrics(registry, Duration.ofSeconds(5)), () -> Set.of(0), 1, () -> true, feed, pulse,
        new HistoryFeed(entry -> { }), activity, leaderView);
    vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    port = api.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (nats != null) {
      nats.close();
    }
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** Answers as a leader does, each reply through its codec (a request it cannot read is failed with 400). */
  private void standInLeader() throws Exception {
    JsonObject cluster = new JsonObject(golden("cluster-status.json"));
    JsonObject detail = new JsonObject(golden("chamber-detail.json"));
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-1", "defender-2", 3_600));
    AssignmentSnapshot assignment = new AssignmentSnapshot(42, 1_700_000_000_000L, chambers);
    rebalanceReply.set(new JsonObject(golden("rebalanced.json")));
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.LEADER_STATUS, message -> message.reply(cluster.copy()));
    bus.<JsonObject>consumer(Addresses.ASSIGNMENT_CURRENT, message -> message.reply(assignment.toJson()));
    bus.<JsonObject>consumer(Addresses.LEADER_CHAMBER, message -> {
      if (ChamberDetail.Query.fromJson(message.body()).chamber().equals(TOOL1_1)) {
        message.reply(detail.copy());
      } else {
        message.fail(400, "not this chamber");
      }
    });
    StatusApiHarness.answerDrainsAndProfiles(bus);
    bus.<JsonObject>consumer(Addresses.REBALANCE, message -> {
      assertEquals("status API", OperatorMessages.RebalanceRequest.fromJson(message.body()).requestedBy());
      message.reply(rebalanceReply.get());
    });
  }

  @Test
  void theClusterIsTheLeadersViewWithEachDefendersLagVerdict() throws Exception {
    HttpResponse<String> response = call("GET", "/api/cluster", null, null);
    conforms("cluster", response, 200);
    JsonObject expected = new JsonObject(golden("cluster-status.json"));
    expected.getJsonArray("defenders").forEach(line -> ((JsonObject) line).put("lagVerdict", "OK"));
    assertEquals(expected, new JsonObject(response.body()), "the leader's view, field for field, with the verdicts");
  }

  @Test
  void aDefenderIsItsLineOfTheLeadersViewWithItsChambers() throws Exception {
    HttpResponse<String> response = call("GET", "/api/defenders/defender-2", null, null);
    conforms("defender", response, 200);
    JsonObject expected = new JsonObject(golden("cluster-status.json")).getJsonArray("defenders").getJsonObject(1)
        .put("homeChambers", new JsonArray()).put("deputyFor", new JsonArray().add("tool001:1"));
    assertEquals(expected, new JsonObject(response.body()));
    conforms("defender", call("GET", "/api/defenders/defender-3", null, null), 200); // no heartbeat: nulls
    conforms("defender", call("GET", "/api/defenders/defender-9", null, null), 404);
  }

  @Test
  void aChamberShowsWhatTheLeaderKnowsOfIt() throws Exception {
    HttpResponse<String> response = call("GET", "/api/chambers/tool001/1", null, null);
    conforms("chamber", response, 200);
    JsonObject body = new JsonObject(response.body());
    JsonObject leader = new JsonObject(golden("chamber-detail.json"));
    for (String field : new String[] {"profile", "formulaWeight", "observedMillisPerContext", "weightSource"}) {
      assertEquals(leader.getValue(field), body.getValue(field), field + " as the leader told it: " + body);
    }
    assertEquals("defender-2", body.getString("servedBy"), body.encode());
  }

  @Test
  void eachOperationAnswersWithTheLeadersReply() throws Exception {
    HttpResponse<String> drained = call("POST", "/api/defenders/defender-3/drain", TOKEN, null);
    conforms("drain", drained, 200);
    assertEquals(new JsonObject().put("defenderId", "defender-3").put("drained", true), new JsonObject(drained.body()));
    conforms("undrain", call("POST", "/api/defenders/defender-3/undrain", TOKEN, null), 200);
    HttpResponse<String> registered = call("PUT", "/api/chambers/tool001/1/profile", TOKEN,
        "{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 60}");
    conforms("putProfile", registered, 200);
    assertEquals(new JsonObject(golden("profile-applied.json")), new JsonObject(registered.body()));
    HttpResponse<String> removed = call("DELETE", "/api/chambers/tool001/1", TOKEN, null);
    conforms("removeChamber", removed, 200);
    assertEquals(new JsonObject().put("chamber", "tool001:1").put("result", "removed"), new JsonObject(removed.body()));
    HttpResponse<String> rebalanced = call("POST", "/api/rebalance", TOKEN, null);
    conforms("rebalance", rebalanced, 200);
    assertEquals(new JsonObject(golden("rebalanced.json")), new JsonObject(rebalanced.body()));
  }

  @Test
  void aLeadersReplyThatCannotBeReadIsAProblemNotPassedOn() throws Exception {
    JsonObject before = rebalanceReply.getAndSet(new JsonObject().put("published", "yes").put("epoch", 43));
    try {
      HttpResponse<String> response = call("POST", "/api/rebalance", TOKEN, null);
      conforms("rebalance", response, 503);
      assertTrue(new JsonObject(response.body()).getString("detail").contains("'published'"), response.body());
    } finally {
      rebalanceReply.set(before);
    }
  }

  private void conforms(String operationId, HttpResponse<String> response, int expectedStatus) throws Exception {
    assertEquals(expectedStatus, response.statusCode(), operationId + ": " + response.body());
    String contentType = response.headers().firstValue("content-type").orElse("");
    if (response.statusCode() >= 400) {
      assertEquals(PROBLEM_JSON, contentType, operationId + ": every error is a problem document");
      contentType = "application/json";
    }
    try {
      validator.validate(ValidatableResponse.create(response.statusCode(), Buffer.buffer(response.body()), contentType),
          operationId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(operationId + " " + response.statusCode() + " does not match openapi.yaml: "
          + e.getCause().getMessage() + "\n" + response.body(), e.getCause());
    }
  }

  private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(seconds(10));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String golden(String name) throws Exception {
    try (var in = StatusApiLeaderRepliesTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(java.util.Objects.requireNonNull(in, name + " is missing from the shared test jar").readAllBytes(),
          StandardCharsets.UTF_8).strip();
    }
  }
}
