package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.Subjects;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway's real responses — successes, bad input, missing and wrong credentials — against the
 * OpenAPI document it serves at {@code /openapi.yaml}, validated by Vert.x's OpenAPI validator. A
 * response that drifts from the document (a renamed field, a wrong type, an error that is not a
 * problem document) fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusApiContractIT {

  private static final String PROBLEM_JSON = "application/problem+json";
  private InJvmCluster cluster;
  private Vertx vertx;
  private ResponseValidator validator;

  @BeforeAll
  void start() throws Exception {
    cluster = new InJvmCluster("chambers:\n  - { tool: tool950, chamber: \"1\", svidCount: 20, hz: 1, contextSeconds: 60 }\n"
        + "  - { tool: tool950, chamber: \"2\", svidCount: 20, hz: 1, contextSeconds: 60 }\n", 2);
    await("both chambers owned").atMost(seconds(60)).ignoreExceptions().until(() -> {
      var now = cluster.currentAssignment().chambers();
      return now.size() == 2 && now.values().stream().allMatch(entry -> entry.owner() != null);
    });
    vertx = Vertx.vertx();
    Path document = Files.createTempFile("openapi-", ".yaml");
    // vertx-openapi 5.0 knows a fixed list of media types, without RFC 9457's problem+json (a JSON
    // document): its copy of the contract says application/json there; conforms() checks the header.
    Files.writeString(document, cluster.http("/openapi.yaml").replace(PROBLEM_JSON, "application/json"));
    OpenAPIContract contract = OpenAPIContract.from(vertx, document.toString()).toCompletionStage().toCompletableFuture()
        .get(seconds(30).toMillis(), TimeUnit.MILLISECONDS);
    validator = ResponseValidator.create(vertx, contract);
  }

  @AfterAll
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close();
    }
    cluster.close();
  }

  @Test
  void everyReadResponseMatchesTheDocument() throws Exception {
    conforms("health", call("GET", "/health", null), 200);
    await("the gateway is ready").atMost(seconds(30)).until(() -> call("GET", "/ready", null).statusCode() == 200);
    conforms("ready", call("GET", "/ready", null), 200);
    conforms("cluster", call("GET", "/api/cluster", null), 200);
    conforms("stats", call("GET", "/api/stats", null), 200);
    conforms("assignments", call("GET", "/api/assignments", null), 200);
    conforms("assignments", call("GET", "/api/assignments?tool=tool950&defender=defender-1", null), 200);
    HttpResponse<String> page = call("GET", "/api/assignments?offset=1&limit=1", null);
    conforms("assignments", page, 200);
    JsonObject second = new JsonObject(page.body());
    assertEquals(2, second.getInteger("count"), page.body());
    assertEquals(java.util.Set.of("tool950:2"), second.getJsonObject("chambers").fieldNames(), "the second chamber, alone");
    conforms("assignments", call("GET", "/api/assignments?limit=0", null), 400);
    conforms("assignments", call("GET", "/api/assignments?offset=x", null), 400);
    await("the lanes are read").atMost(seconds(30)).until(() ->
        new JsonObject(call("GET", "/api/lag", null).body()).getJsonArray("lanes").size() == 1);
    conforms("lag", call("GET", "/api/lag", null), 200);
    conforms("defender", call("GET", "/api/defenders/defender-1", null), 200);
    conforms("defender", call("GET", "/api/defenders/defender-404", null), 404);
    conforms("defender", call("GET", "/api/defenders/bad.id", null), 400);
    conforms("chamber", call("GET", "/api/chambers/tool950/2", null), 200);
    conforms("chamber", call("GET", "/api/chambers/tool950/404", null), 404);
    conforms("chamber", call("GET", "/api/chambers/tool950/bad%2Fid", null), 400);
    await("the leader's takeover in the history").atMost(seconds(30)).until(() ->
        new JsonObject(call("GET", "/api/history?kind=leader", null).body()).getJsonArray("entries").size() >= 1);
    conforms("history", call("GET", "/api/history", null), 200);
    conforms("history", call("GET", "/api/history?limit=5&kind=assignment&defender=defender-1", null), 200);
    conforms("history", call("GET", "/api/history?limit=0", null), 400);
    conforms("history", call("GET", "/api/history?kind=weather", null), 400);
    JsonObject firstAssignment = new JsonObject(call("GET", "/api/history?kind=assignment", null).body())
        .getJsonArray("entries").getJsonObject(0);
    assertTrue(firstAssignment.getInteger("movedChambers") >= 2, "the cold start placed both chambers: " + firstAssignment);
  }

  @Test
  void aChamberShowsItsLastVerdict() throws Exception {
    ChamberKey chamber = new ChamberKey("tool950", "1");
    CompletionEvent event = new CompletionEvent(chamber, "ctx-contract-1", System.currentTimeMillis(), null);
    cluster.client.jetStream().publish(Subjects.completed(chamber), CompletionCodec.toJson(event).toBuffer().getBytes());
    await("the chamber's verdict").atMost(seconds(30)).until(() ->
        new JsonObject(call("GET", "/api/chambers/tool950/1", null).body()).getValue("lastVerdict") != null);
    HttpResponse<String> response = call("GET", "/api/chambers/tool950/1", null);
    conforms("chamber", response, 200);
    assertEquals("ctx-contract-1", new JsonObject(response.body()).getJsonObject("lastVerdict").getString("contextId"));
    await("the lane's backlog read as cleared").atMost(seconds(30)).until(() -> {
      JsonObject lane = new JsonObject(call("GET", "/api/lag", null).body()).getJsonArray("lanes").getJsonObject(0);
      return lane.getLong("pending") == 0 && "OK".equals(lane.getString("verdict"));
    });
  }

  @Test
  void operationsAndTheirFailuresMatchTheDocument() throws Exception {
    conforms("drain", call("POST", "/api/defenders/defender-9/drain", null), 401);
    conforms("drain", call("POST", "/api/defenders/defender-9/drain", "not-the-token"), 403);
    conforms("drain", call("POST", "/api/defenders/bad.id/drain", InJvmCluster.ADMIN_TOKEN), 400);
    conforms("undrain", call("POST", "/api/defenders/defender-9/undrain", InJvmCluster.ADMIN_TOKEN), 200);
    conforms("rebalance", call("POST", "/api/rebalance", null), 401);
    conforms("rebalance", call("POST", "/api/rebalance", InJvmCluster.ADMIN_TOKEN), 200);
    String profile = "{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 60}";
    conforms("putProfile", call("PUT", "/api/chambers/tool951/9/profile", null, profile), 401);
    conforms("putProfile", call("PUT", "/api/chambers/tool951/9/profile", "wrong", profile), 403);
    conforms("removeChamber", call("DELETE", "/api/chambers/tool951/9", "wrong", null), 403);
    for (String[] bad : new String[][] {
        {"", null}, {"not json", null}, {"[1, 2]", null}, {"{\"svidCount\": 30, \"hz\": 2}", "contextSeconds"},
        {"{\"svidCount\": \"thirty\", \"hz\": 2, \"contextSeconds\": 60}", "svidCount"},
        {"{\"svidCount\": 0, \"hz\": 2, \"contextSeconds\": 60}", "svidCount"},
        {"{\"svidCount\": 1.5, \"hz\": 2, \"contextSeconds\": 60}", "svidCount"},
        {"{\"svidCount\": 30, \"hz\": -1, \"contextSeconds\": 60}", "hz"}}) {
      HttpResponse<String> refused = call("PUT", "/api/chambers/tool951/9/profile", InJvmCluster.ADMIN_TOKEN, bad[0]);
      conforms("putProfile", refused, 400);
      assertEquals(bad[1], new JsonObject(refused.body()).getString("field"), "the field at fault: " + refused.body());
    }
    conforms("putProfile", call("PUT", "/api/chambers/bad.tool/9/profile", InJvmCluster.ADMIN_TOKEN, profile), 400);
    conforms("putProfile", call("PUT", "/api/chambers/tool951/9/profile", InJvmCluster.ADMIN_TOKEN,
        "{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 60, \"note\": \"" + "x".repeat(70_000) + "\"}"), 413);

    HttpResponse<String> registered = call("PUT", "/api/chambers/tool951/9/profile", InJvmCluster.ADMIN_TOKEN, profile);
    conforms("putProfile", registered, 200);
    assertEquals("registered", new JsonObject(registered.body()).getString("result"));
    await("the registered chamber placed").atMost(seconds(30)).until(() ->
        cluster.currentAssignment().ownerOf(new ChamberKey("tool951", "9")) != null);
    JsonObject chamber = new JsonObject(call("GET", "/api/chambers/tool951/9", null).body());
    assertEquals(3600.0, chamber.getDouble("weight"), "30 SVIDs × 2 Hz × 60 s: " + chamber);
    assertEquals(30, chamber.getJsonObject("profile").getInteger("svidCount"));
    HttpResponse<String> updated = call("PUT", "/api/chambers/tool951/9/profile", InJvmCluster.ADMIN_TOKEN,
        "{\"svidCount\": 60, \"hz\": 2, \"contextSeconds\": 60}");
    assertEquals("updated", new JsonObject(updated.body()).getString("result"), updated.body());
    HttpResponse<String> removed = call("DELETE", "/api/chambers/tool951/9", InJvmCluster.ADMIN_TOKEN, null);
    conforms("removeChamber", removed, 200);
    assertEquals("removed", new JsonObject(removed.body()).getString("result"));
    await("the removed chamber leaves the assignment").atMost(seconds(30)).until(() ->
        !cluster.currentAssignment().knows(new ChamberKey("tool951", "9")));
    assertEquals("absent", new JsonObject(call("DELETE", "/api/chambers/tool951/9", InJvmCluster.ADMIN_TOKEN, null).body())
        .getString("result"));
  }

  @Test
  void theStatusCommandPrintsARowPerDefender() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit = new picocli.CommandLine(new io.chamberlain.gateway.StatusCommand(
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err))
        .execute("--gateway", "http://127.0.0.1:" + cluster.gatewayPort());
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, exit, printed);
    assertTrue(printed.startsWith("leader "), printed);
    assertTrue(printed.lines().anyMatch(line -> line.startsWith("defender-1 ")), printed);
    assertTrue(printed.lines().anyMatch(line -> line.startsWith("defender-2 ")), printed);
  }

  @Test
  void theDocumentServedIsTheOneInTheJar() throws Exception {
    String served = cluster.http("/openapi.yaml");
    assertTrue(served.startsWith("openapi: 3.1"), served.substring(0, Math.min(80, served.length())));
  }

  private void conforms(String operationId, HttpResponse<String> response, int expectedStatus) throws Exception {
    assertEquals(expectedStatus, response.statusCode(), operationId + ": " + response.body());
    String contentType = response.headers().firstValue("content-type").orElse("");
    if (response.statusCode() >= 400) {
      assertEquals(PROBLEM_JSON, contentType, operationId + ": every error is a problem document");
      contentType = "application/json";
    }
    ValidatableResponse validatable = ValidatableResponse.create(response.statusCode(), Buffer.buffer(response.body()),
        contentType);
    try {
      validator.validate(validatable, operationId).toCompletionStage().toCompletableFuture()
          .get(seconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(operationId + " " + response.statusCode() + " does not match openapi.yaml: "
          + e.getCause().getMessage() + "\n" + response.body(), e.getCause());
    }
  }

  private HttpResponse<String> call(String method, String path, String token) throws Exception {
    return call(method, path, token, null);
  }

  private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.gatewayPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(seconds(10));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return InJvmCluster.CLIENT.send(request.timeout(seconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
