package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.AssignmentSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator's profile changes outlive the leader that made them: a chamber's profile updated and
 * another removed through the status API, then the leader's node replaced — the next leader (a new
 * term, in the history) keeps the updated weight and does not bring the removed chamber back from the
 * catalog file. Also: the leader's and the nodes' new metrics are exported; and a drained defender
 * stays drained under the next leader.
 */
class OperatorChangesIT {

  private static final ChamberKey UPDATED = new ChamberKey("tool960", "1");
  private static final ChamberKey REMOVED = new ChamberKey("tool960", "2");

  @Test
  void profileChangesOutliveTheLeaderAndTheHistoryShowsTheTakeover() throws Exception {
    String catalog = "chambers:\n"
        + "  - { tool: tool960, chamber: \"1\", svidCount: 20, hz: 1, contextSeconds: 60 }\n"
        + "  - { tool: tool960, chamber: \"2\", svidCount: 20, hz: 1, contextSeconds: 60 }\n"
        + "  - { tool: tool960, chamber: \"3\", svidCount: 20, hz: 1, contextSeconds: 60 }\n";
    try (InJvmCluster cluster = new InJvmCluster(catalog, 1)) {
      await("every chamber owned").atMost(seconds(60)).ignoreExceptions().until(() -> {
        AssignmentSnapshot now = cluster.currentAssignment();
        return now.chambers().size() == 3 && now.chambers().values().stream().allMatch(entry -> entry.owner() != null);
      });
      assertEquals(200, send(cluster, "PUT", "/api/chambers/tool960/1/profile",
          "{\"svidCount\": 50, \"hz\": 2, \"contextSeconds\": 60}").statusCode());
      assertEquals(200, send(cluster, "DELETE", "/api/chambers/tool960/2", null).statusCode());
      await("the removal published with the new weight").atMost(seconds(30)).ignoreExceptions().until(() -> {
        AssignmentSnapshot now = cluster.currentAssignment();
        return !now.knows(REMOVED) && now.knows(UPDATED) && now.chambers().get(UPDATED).weight() == 6_000.0;
      });
      long termBefore = cluster.api("/api/cluster").getLong("term");

      cluster.restartGateway();

      await("a new leader").atMost(seconds(60)).until(() -> {
        try {
          return cluster.api("/api/cluster").getLong("term") > termBefore;
        } catch (Exception notYet) {
          return false;
        }
      });
      AssignmentSnapshot after = cluster.currentAssignment();
      assertFalse(after.knows(REMOVED), "the catalog file does not bring a removed chamber back: " + after.chambers());
      assertEquals(6_000.0, after.chambers().get(UPDATED).weight(), "the updated profile's weight");
      assertEquals(50, cluster.api("/api/chambers/tool960/1").getJsonObject("profile").getInteger("svidCount"));
      await("both takeovers in the history").atMost(seconds(30)).until(() ->
          cluster.api("/api/history?kind=leader").getJsonArray("entries").size() >= 2);
      JsonArray takeovers = cluster.api("/api/history?kind=leader").getJsonArray("entries");
      JsonObject newest = takeovers.getJsonObject(takeovers.size() - 1);
      assertTrue(newest.getLong("term") > termBefore, newest.encodePrettily());

      String gatewayMetrics = InJvmCluster.get(cluster.gatewayPort(), "/metrics").body();
      for (String metric : List.of("chamberlain_leader_takeovers_total", "chamberlain_assignments_published_total",
          "chamberlain_chambers_moved_total", "chamberlain_weight_moved_total", "chamberlain_leases_total",
          "chamberlain_heartbeats_missed_total", "chamberlain_defenders_dead_total",
          "chamberlain_rebalance_duration_seconds_count", "chamberlain_ws_clients")) {
        assertTrue(gatewayMetrics.contains(metric), metric + " is exported by the leader's node");
      }
      String workerMetrics = InJvmCluster.get(cluster.workers.get(0).httpPort(), "/metrics").body();
      assertTrue(workerMetrics.contains("chamberlain_handoff_duration_seconds_count"), "the worker's handoff timer");
    }
  }

  /** A drained defender stays drained when the leader's node is replaced: the drain travels in the leader's memo. */
  @Test
  void aDrainOutlivesTheLeaderThatMadeIt() throws Exception {
    StringBuilder catalog = new StringBuilder("chambers:\n");
    for (int chamber = 1; chamber <= 6; chamber++) {
      catalog.append("  - { tool: tool961, chamber: \"").append(chamber)
          .append("\", svidCount: 20, hz: 1, contextSeconds: 60 }\n");
    }
    try (InJvmCluster cluster = new InJvmCluster(catalog.toString(), 2)) {
      await("both defenders own chambers").atMost(seconds(60)).ignoreExceptions().until(() ->
          ownedBy(cluster, "defender-1") > 0 && ownedBy(cluster, "defender-2") > 0);
      assertEquals(200, send(cluster, "POST", "/api/defenders/defender-2/drain", null).statusCode());
      await("defender-2 drained and empty").atMost(seconds(30)).ignoreExceptions().until(() ->
          ownedBy(cluster, "defender-2") == 0 && ownedBy(cluster, "defender-1") == 6
              && "DRAINED".equals(statusOf(cluster, "defender-2")));
      long termBefore = cluster.api("/api/cluster").getLong("term");

      cluster.restartGateway();

      await("a new leader").atMost(seconds(60)).ignoreExceptions().until(() ->
          cluster.api("/api/cluster").getLong("term") > termBefore);
      // A leader that forgot the drain would take defender-2 back at its next heartbeat (500 ms) as a join,
      // batched by the scaling window (at most 2 s): 3 s of holding sees that.
      await("defender-2 stays drained and gets no chambers under the new leader").during(seconds(3))
          .atMost(seconds(30)).ignoreExceptions().until(() -> "DRAINED".equals(statusOf(cluster, "defender-2"))
              && ownedBy(cluster, "defender-2") == 0 && ownedBy(cluster, "defender-1") == 6);
      assertEquals(200, send(cluster, "POST", "/api/defenders/defender-2/undrain", null).statusCode());
      await("undrained, it gets chambers again").atMost(seconds(30)).ignoreExceptions().until(() ->
          ownedBy(cluster, "defender-2") > 0);
    }
  }

  private static long ownedBy(InJvmCluster cluster, String defender) throws Exception {
    return cluster.currentAssignment().chambers().values().stream().filter(entry -> defender.equals(entry.owner())).count();
  }

  private static String statusOf(InJvmCluster cluster, String defender) throws Exception {
    return cluster.api("/api/cluster").getJsonArray("defenders").stream().map(JsonObject.class::cast)
        .filter(line -> defender.equals(line.getString("id"))).map(line -> line.getString("status")).findFirst()
        .orElse("absent");
  }

  private static HttpResponse<String> send(InJvmCluster cluster, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.gatewayPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + InJvmCluster.ADMIN_TOKEN).timeout(seconds(10));
    return InJvmCluster.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
