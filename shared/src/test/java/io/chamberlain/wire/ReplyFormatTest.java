package io.chamberlain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.WeightSource;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The replies on the event bus against their golden files — the leader's view, what it knows of a
 * chamber, the operations' outcomes, a chamber verticle's receipt — and how each is read across a
 * version skew: unknown fields ignored, missing optional ones at their default, bad ones refused
 * with the field named.
 */
class ReplyFormatTest {

  private static final ChamberKey TOOL1_1 = ChamberKey.parse("tool001:1");

  /** The view of the golden file {@code cluster-status.json}: a live home, a deputy, a dead defender and a drained one. */
  static final ClusterStatus CLUSTER = new ClusterStatus("2fb2d15a-be61-4ce3-84cf-4fd9a44be300", 4, "ROLLING_UPDATE",
      1_700_000_000_000L, 42, 3, 1, 1, 1_236_000, List.of(
          new ClusterStatus.Defender("defender-1", "RESTARTING", "9ee60527-8f20-47c1-85ce-43ef1b6fbc7c", "1.2.0", 1.5, 420L,
              42L, 1, 1_200_000, 1.5, 0, 1, 3, 9, 41.5),
          new ClusterStatus.Defender("defender-2", "LIVE", "5c0ffee0-aaaa-4bbb-8ccc-123456789abc", "1.2.0", 1.0, 380L, 42L,
              1, 36_000, 0.05, 1, 0, 120, 2, 12.0),
          new ClusterStatus.Defender("defender-3", "DEAD", null, null, 1.0, null, null, 0, 0, 0, 0, 0, 0, 0, null),
          new ClusterStatus.Defender("defender-4", ClusterStatus.DRAINED, "0d6f3c3c-52c4-4b3e-9a53-5f0c8d521a10", "1.1.9",
              1.0, 610L, 41L, 0, 0, 0, 0, 0, 77, 5, 8.5)));

  @Test
  void theLeadersViewMatchesItsGoldenJsonAndReadsAcrossVersions() throws Exception {
    assertEquals(golden("cluster-status.json"), CLUSTER.toJson().encodePrettily());
    assertEquals(CLUSTER, ClusterStatus.fromJson(new JsonObject(golden("cluster-status.json"))));
    assertEquals("RESTARTING", CLUSTER.defender("defender-1").orElseThrow().status());
    assertTrue(CLUSTER.defender("defender-4").orElseThrow().drained());
    assertFalse(CLUSTER.defender("defender-9").isPresent());

    JsonObject fromANewerLeader = new JsonObject(golden("cluster-status.json")).put("quorum", 3);
    fromANewerLeader.getJsonArray("defenders").getJsonObject(0).put("rack", "b2").put("status", "WARMING_UP");
    ClusterStatus read = ClusterStatus.fromJson(fromANewerLeader);
    assertEquals("WARMING_UP", read.defenders().get(0).status(), "a status this version does not know is read, not refused");
    assertEquals(CLUSTER.defenders().get(1), read.defenders().get(1));

    ClusterStatus minimal = ClusterStatus.fromJson(new JsonObject().put("leaderNode", "n").put("state", "STABLE")
        .put("defenders", new JsonArray().add(new JsonObject().put("id", "defender-1").put("status", "LIVE"))));
    assertEquals(new ClusterStatus("n", 0, "STABLE", 0, 0, 0, 0, 0, 0, List.of(new ClusterStatus.Defender("defender-1", "LIVE",
        null, null, 1.0, null, null, 0, 0, 0, 0, 0, 0, 0, null))), minimal, "missing fields at their defaults");
    assertEquals(List.of(), ClusterStatus.fromJson(new JsonObject().put("leaderNode", "n").put("state", "STABLE"))
        .defenders(), "no defenders listed: none");

    refused(ClusterStatus::fromJson, new JsonObject(golden("cluster-status.json")).put("term", "four"), "'term'");
    refused(ClusterStatus::fromJson, new JsonObject(golden("cluster-status.json")).put("chambers", 2.5), "'chambers'");
    JsonObject noState = new JsonObject(golden("cluster-status.json"));
    noState.remove("state");
    refused(ClusterStatus::fromJson, noState, "'state'");
    JsonObject badDefender = new JsonObject(golden("cluster-status.json"));
    badDefender.getJsonArray("defenders").getJsonObject(2).put("heartbeatAgeMillis", "late");
    refused(ClusterStatus::fromJson, badDefender, "defenders[2]: 'heartbeatAgeMillis'");
    JsonObject noId = new JsonObject(golden("cluster-status.json"));
    noId.getJsonArray("defenders").getJsonObject(1).remove("id");
    refused(ClusterStatus::fromJson, noId, "defenders[1]: 'id'");
    refused(ClusterStatus::fromJson, new JsonObject(golden("cluster-status.json")).put("defenders", new JsonArray().add(7)),
        "'defenders[0]'");
    refused(ClusterStatus::fromJson, null, "no body");
  }

  @Test
  void aChambersDetailMatchesItsGoldenJsonAndReadsAcrossVersions() throws Exception {
    ChamberDetail detail = new ChamberDetail(TOOL1_1, true, 3_600.0, 3_600.0, 12.5, WeightSource.BLEND,
        new ChamberProfile(TOOL1_1, 30, 2, 60));
    assertEquals(golden("chamber-detail.json"), detail.toJson().encodePrettily());
    assertEquals(detail, ChamberDetail.fromJson(new JsonObject(golden("chamber-detail.json"))));
    ChamberDetail.Query query = new ChamberDetail.Query(TOOL1_1);
    assertEquals(golden("chamber-query.json"), query.toJson().encode());
    assertEquals(query, ChamberDetail.Query.fromJson(new JsonObject(golden("chamber-query.json"))));

    ChamberDetail unknownToTheLeader = ChamberDetail.fromJson(new JsonObject().put("chamber", "tool001:9"));
    assertEquals(new ChamberDetail(ChamberKey.parse("tool001:9"), false, null, null, null, null, null), unknownToTheLeader,
        "missing fields: not registered, nothing known");
    assertFalse(unknownToTheLeader.toJson().containsKey("profile"), "no profile: left out, as the leader always did");
    ChamberDetail newer = ChamberDetail.fromJson(new JsonObject(golden("chamber-detail.json")).put("weightSource", "LEARNED")
        .put("lastMovedAt", 1));
    assertNull(newer.weightSource(), "a weight source this version does not know reads as unknown");
    assertEquals(detail.profile(), newer.profile());

    refused(ChamberDetail::fromJson, new JsonObject(golden("chamber-detail.json")).put("weight", "heavy"), "'weight'");
    refused(ChamberDetail::fromJson, new JsonObject(golden("chamber-detail.json"))
        .put("profile", new JsonObject().put("svidCount", 30).put("hz", 2)), "contextSeconds");
    refused(ChamberDetail::fromJson, new JsonObject().put("registered", true), "'chamber'");
    refused(ChamberDetail.Query::fromJson, new JsonObject().put("chamber", "a.b:1"), "a.b");
    refused(ChamberDetail.Query::fromJson, new JsonObject(), "'chamber'");
  }

  @Test
  void theOperationsOutcomesMatchTheirGoldenJson() throws Exception {
    var registered = new OperatorMessages.ProfileApplied(TOOL1_1, OperatorMessages.ProfileApplied.Result.REGISTERED, 3_600.0);
    var request = new OperatorMessages.RebalanceRequest("status API");
    var rebalanced = new OperatorMessages.Rebalanced(true, 43, "SCALING");
    assertEquals(golden("profile-applied.json"), registered.toJson().encode());
    assertEquals(golden("rebalance-request.json"), request.toJson().encode());
    assertEquals(golden("rebalanced.json"), rebalanced.toJson().encode());
    assertEquals(registered, OperatorMessages.ProfileApplied.fromJson(new JsonObject(golden("profile-applied.json"))));
    assertEquals(request, OperatorMessages.RebalanceRequest.fromJson(new JsonObject(golden("rebalance-request.json"))));
    assertEquals(rebalanced, OperatorMessages.Rebalanced.fromJson(new JsonObject(golden("rebalanced.json"))));

    var removed = new OperatorMessages.ProfileApplied(TOOL1_1, OperatorMessages.ProfileApplied.Result.REMOVED, null);
    assertEquals("{\"chamber\":\"tool001:1\",\"result\":\"removed\"}", removed.toJson().encode(), "no weight: left out");
    assertEquals(removed, OperatorMessages.ProfileApplied.fromJson(removed.toJson().put("removedBy", "a later version")));
    assertEquals("an operator", OperatorMessages.RebalanceRequest.fromJson(new JsonObject()).requestedBy(),
        "the first rebalance requests named nobody");
    assertEquals(new OperatorMessages.Rebalanced(false, 0, "STABLE"),
        OperatorMessages.Rebalanced.fromJson(new JsonObject().put("state", "STABLE").put("moved", 0)));

    refused(OperatorMessages.ProfileApplied::fromJson, registered.toJson().put("result", "renamed"), "'result'");
    refused(OperatorMessages.ProfileApplied::fromJson, registered.toJson().put("weight", true), "'weight'");
    refused(OperatorMessages.Rebalanced::fromJson, new JsonObject().put("published", true), "'state'");
    refused(OperatorMessages.Rebalanced::fromJson, rebalanced.toJson().put("published", "yes"), "'published'");
    refused(OperatorMessages.RebalanceRequest::fromJson, new JsonObject().put("requestedBy", 7), "'requestedBy'");
  }

  @Test
  void aChamberVerticlesReceiptMatchesItsGoldenJson() throws Exception {
    VerdictReceipt published = VerdictReceipt.published("ALARM", 1_700_000_000_456L, false, "defender-2");
    assertEquals(golden("verdict-receipt.json"), published.toJson().encode());
    assertEquals(published, VerdictReceipt.fromJson(new JsonObject(golden("verdict-receipt.json"))));
    assertEquals(1_700_000_000_456L, new JsonObject(golden("verdict-receipt.json")).getLong(VerdictReceipt.PUBLISHED_AT));

    VerdictReceipt replay = VerdictReceipt.replayed("defender-2");
    assertEquals("{\"duplicate\":true,\"defender\":\"defender-2\"}", replay.toJson().encode(), "a replay publishes nothing");
    assertTrue(VerdictReceipt.fromJson(replay.toJson()).replay());
    assertEquals(published, VerdictReceipt.fromJson(new JsonObject(golden("verdict-receipt.json")).put("judgedInMillis", 3)));
    assertFalse(VerdictReceipt.fromJson(new JsonObject(golden("verdict-receipt.json")).put("duplicate", null)).duplicate(),
        "duplicate missing: false");

    refused(VerdictReceipt::fromJson, new JsonObject(golden("verdict-receipt.json")).put(VerdictReceipt.PUBLISHED_AT, "now"),
        "'publishedAt'");
    refused(VerdictReceipt::fromJson, new JsonObject(golden("verdict-receipt.json")).put(VerdictReceipt.PUBLISHED_AT, null),
        "go together");
    refused(VerdictReceipt::fromJson, new JsonObject().put("duplicate", true), "'defender'");
  }

  private static void refused(Function<JsonObject, ?> decode, JsonObject body, String named) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> decode.apply(body));
    assertTrue(refused.getMessage().contains(named), "the refusal names " + named + ": " + refused.getMessage());
  }

  static String golden(String name) throws Exception {
    try (var in = ReplyFormatTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
