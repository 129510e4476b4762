package io.chamberlain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wire formats against golden files, and every way an incoming completion can be refused. */
class WireFormatTest {

  private static final ChamberKey TOOL1_1 = ChamberKey.parse("tool001:1");
  private static final int LIMIT = 64 * 1024;

  @Test
  void completionEventMatchesGoldenJson() throws Exception {
    CompletionEvent event = new CompletionEvent(TOOL1_1, "ctx-42", 1_700_000_000_000L, "ctx-42");
    assertEquals(golden("completion-event.json"), CompletionCodec.toJson(event).encodePrettily());
    CompletionCodec.Decoded decoded = CompletionCodec.decode("dc.tool001.1.completed",
        golden("completion-event.json").getBytes(StandardCharsets.UTF_8), LIMIT);
    assertEquals(event, decoded.event());
    assertEquals(event, CompletionCodec.decode("dc.tool001.1.completed.12",
        golden("completion-event.json").getBytes(StandardCharsets.UTF_8), LIMIT).event(), "the same event mapped to lane 12");
  }

  /** The defender messages to and from the leader, each against its golden file; bad bodies name the field. */
  @Test
  void defenderMessagesMatchTheirGoldenJson() throws Exception {
    var announcement = new DefenderMessages.RestartAnnouncement("defender-3", "5c0ffee0-aaaa-4bbb-8ccc-123456789abc");
    var held = new DefenderMessages.RestartHeld(true, 42, 17);
    var suspicion = new DefenderMessages.Suspicion("defender-3",
        "a request outstanding 2400 ms (suspect after 1700 ms + 2 x 120 ms), heartbeat 1900 ms late");
    var drain = new DefenderMessages.DrainRequest("defender-3", true);
    var state = new DefenderMessages.DrainState("defender-3", true);
    assertEquals(golden("restart-announcement.json"), announcement.toJson().encode());
    assertEquals(golden("restart-held.json"), held.toJson().encode());
    assertEquals(golden("suspicion.json"), suspicion.toJson().encode());
    assertEquals(golden("drain-request.json"), drain.toJson().encode());
    assertEquals(golden("drain-state.json"), state.toJson().encode());
    assertEquals(announcement, DefenderMessages.RestartAnnouncement.fromJson(new JsonObject(golden("restart-announcement.json"))));
    assertEquals(held, DefenderMessages.RestartHeld.fromJson(new JsonObject(golden("restart-held.json"))));
    assertEquals(suspicion, DefenderMessages.Suspicion.fromJson(new JsonObject(golden("suspicion.json"))));
    assertEquals(drain, DefenderMessages.DrainRequest.fromJson(new JsonObject(golden("drain-request.json"))));
    assertEquals(state, DefenderMessages.DrainState.fromJson(new JsonObject(golden("drain-state.json"))));
    // Version skew: unknown fields are ignored, missing optional ones keep today's meaning.
    assertEquals(drain, DefenderMessages.DrainRequest.fromJson(new JsonObject().put("defenderId", "defender-3")
        .put("requestedBy", "a later version")));
    assertEquals(new DefenderMessages.RestartHeld(false, 0, 0), DefenderMessages.RestartHeld.fromJson(new JsonObject()));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DefenderMessages.RestartAnnouncement.fromJson(
        new JsonObject().put("defenderId", 7).put("nodeId", "n"))).getMessage().contains("defenderId"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DefenderMessages.Suspicion.fromJson(
        new JsonObject().put("defenderId", "defender-3"))).getMessage().contains("evidence"));
  }

  @Test
  void assignmentSnapshotMatchesGoldenJson() throws Exception {
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(ChamberKey.parse("tool001:2"), new AssignmentSnapshot.Entry(null, 1_200_000));
    chambers.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-1", 30_000));
    chambers.put(ChamberKey.parse("tool002:1"), new AssignmentSnapshot.Entry("defender-1", "defender-2", 45_000));
    AssignmentSnapshot snapshot = new AssignmentSnapshot(7, 1_700_000_000_123L, chambers);
    assertEquals(golden("assignment-snapshot.json"), snapshot.toJson().encodePrettily());
    AssignmentSnapshot decoded = AssignmentSnapshot.fromJson(new JsonObject(golden("assignment-snapshot.json")));
    assertEquals(snapshot, decoded);
    assertEquals("defender-1", decoded.ownerOf(TOOL1_1));
    assertEquals("defender-1", decoded.servedBy(TOOL1_1), "not leased: the home serves it");
    assertEquals("defender-1", decoded.ownerOf(ChamberKey.parse("tool002:1")), "a lease keeps the home");
    assertEquals("defender-2", decoded.servedBy(ChamberKey.parse("tool002:1")), "… and the deputy serves it");
    assertNull(decoded.ownerOf(ChamberKey.parse("tool001:2")));
    assertNull(decoded.servedBy(ChamberKey.parse("tool001:2")));
    assertThrows(IllegalArgumentException.class, () -> new AssignmentSnapshot.Entry(null, "defender-2", 1.0),
        "no lease without a home");
    assertFalse(decoded.knows(ChamberKey.parse("tool009:1")));
  }

  @Test
  void chamberRegistrationsMatchGoldenJsonAndRefuseBadChambers() throws Exception {
    ChamberRegistrations registrations = new ChamberRegistrations(List.of(TOOL1_1, ChamberKey.parse("tool001:2")));
    assertEquals(golden("chamber-registrations.json"), registrations.toJson().encodePrettily());
    assertEquals(registrations, ChamberRegistrations.fromJson(new JsonObject(golden("chamber-registrations.json"))));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ChamberRegistrations.fromJson(new JsonObject().put("chambers", new io.vertx.core.json.JsonArray().add("a.b:1"))));
    assertTrue(bad.getMessage().contains("a.b"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChamberRegistrations.fromJson(new JsonObject()));
  }

  @Test
  void assignmentDeltaMatchesGoldenJsonAndTurnsOneSnapshotIntoTheNext() throws Exception {
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> before = new TreeMap<>();
    before.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-1", 30_000));
    before.put(ChamberKey.parse("tool001:2"), new AssignmentSnapshot.Entry("defender-2", 1_200_000));
    before.put(ChamberKey.parse("tool009:3"), new AssignmentSnapshot.Entry("defender-2", 5_000));
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> after = new TreeMap<>(before);
    after.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-2", 30_000));
    after.put(ChamberKey.parse("tool001:2"), new AssignmentSnapshot.Entry("defender-2", "defender-3", 1_200_000));
    after.remove(ChamberKey.parse("tool009:3"));
    AssignmentSnapshot seven = new AssignmentSnapshot(7, 1_700_000_000_000L, before);
    AssignmentSnapshot eight = new AssignmentSnapshot(8, 1_700_000_000_123L, after);

    AssignmentDelta delta = AssignmentDelta.between(seven, eight);
    assertEquals(golden("assignment-delta.json"), delta.toJson().encodePrettily());
    assertEquals(delta, AssignmentDelta.fromJson(new JsonObject(golden("assignment-delta.json"))));
    assertEquals(2, delta.changed().size(), "only what changed travels: a move and a lease");
    assertEquals(eight, delta.applyTo(seven));
    assertThrows(IllegalArgumentException.class, () -> delta.applyTo(eight), "a delta applies to its base only");
  }

  @Test
  void theFeedAppliesDeltasInOrderIgnoresStaleOnesAndReportsGaps() {
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> lines = new TreeMap<>();
    lines.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-1", 30_000));
    AssignmentSnapshot one = new AssignmentSnapshot(1, 10, lines);
    lines.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-2", 30_000));
    AssignmentSnapshot two = new AssignmentSnapshot(2, 20, lines);
    lines.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-3", 30_000));
    AssignmentSnapshot three = new AssignmentSnapshot(3, 30, lines);

    AssignmentFeed feed = new AssignmentFeed();
    assertEquals(AssignmentFeed.Outcome.GAP, feed.offer(AssignmentDelta.between(one, two).toJson()),
        "a node holding nothing cannot apply the delta 1 → 2");
    assertEquals(AssignmentFeed.Outcome.APPLIED, feed.offer(one.toJson()), "a whole snapshot fills the gap");
    assertEquals(AssignmentFeed.Outcome.APPLIED, feed.offer(AssignmentDelta.between(one, two).toJson()));
    assertEquals(two, feed.held());
    assertEquals(AssignmentFeed.Outcome.STALE, feed.offer(AssignmentDelta.between(one, two).toJson()));
    assertEquals(AssignmentFeed.Outcome.STALE, feed.offer(one), "epochs only go forward");
    assertEquals(AssignmentFeed.Outcome.APPLIED, feed.offer(AssignmentDelta.between(two, three).toJson()));
    assertEquals("defender-3", feed.held().ownerOf(TOOL1_1));
  }

  @Test
  void heartbeatMatchesGoldenJson() throws Exception {
    Heartbeat heartbeat = new Heartbeat("defender-1", "1.2.0", 1.5, "9ee60527-8f20-47c1-85ce-43ef1b6fbc7c", 12, 7,
        1_700_000_000_456L, java.util.Map.of("tool001:1", 12.5), 3, 9, 41.5,
        java.util.Map.of("tool001:1", 0.25));
    assertEquals(golden("heartbeat.json"), heartbeat.toJson().encodePrettily());
    assertEquals(heartbeat, Heartbeat.fromJson(new JsonObject(golden("heartbeat.json"))));
  }

  @Test
  void gatewayLanesMatchGoldenJson() throws Exception {
    GatewayLanes lanes = new GatewayLanes("5f0c8d52-52c4-4b3e-9a53-0d6f3c3c1a10", "5f0c8d52-52c4-4b3e-9a53-0d6f3c3c1a10",
        4, java.util.Set.of(3, 1));
    assertEquals(golden("gateway-lanes.json"), lanes.toJson().encodePrettily());
    assertEquals(lanes, GatewayLanes.fromJson(new JsonObject(golden("gateway-lanes.json"))));
  }

  @ParameterizedTest(name = "{0} on {1} → {2}")
  @CsvSource(delimiter = '|', value = {
      "not json                                                                          | dc.t.1.completed | malformed-json   | is not a JSON object",
      "[1,2]                                                                             | dc.t.1.completed | malformed-json   | is not a JSON object",
      "{}                                                                                | dc.t.1.completed | invalid-field    | toolId (null) is missing",
      "{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":\"now\"}      | dc.t.1.completed | invalid-field    | completedAt must be epoch milliseconds",
      "{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":1.5}          | dc.t.1.completed | invalid-field    | completedAt must be epoch milliseconds",
      "{\"toolId\":\"t*\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":1}           | dc.t.1.completed | invalid-field    | toolId 't*' contains characters",
      "{\"toolId\":\"t\",\"chamberId\":1,\"contextId\":\"c\",\"completedAt\":1}                | dc.t.1.completed | invalid-field    | chamberId must be text",
      "{\"toolId\":\"t\",\"chamberId\":\"2\",\"contextId\":\"c\",\"completedAt\":1}            | dc.t.1.completed | subject-mismatch | event for chamber t:2 was published on dc.t.1.completed",
      "{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":1}            | dc.t.completed   | bad-subject      | is not of the form",
      "{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":1}            | dc.t.1.done      | bad-subject      | is not of the form",
      "{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":1}            | dc.t.1.completed.x | bad-subject    | is not of the form",
      "{\"toolId\":\"t\",\"chamberId\":\"2\",\"contextId\":\"c\",\"completedAt\":1}            | dc.t.1.completed.3 | subject-mismatch | was published on dc.t.1.completed.3"})
  void refusesWithReasonAndExplanation(String payload, String subject, String reason, String explanation) {
    CompletionCodec.Decoded decoded = CompletionCodec.decode(subject, payload.getBytes(StandardCharsets.UTF_8), LIMIT);
    assertFalse(decoded.isValid());
    assertEquals(reason, decoded.rejection().reason());
    assertTrue(decoded.rejection().message().contains(explanation), decoded.rejection().message());
  }

  /** Above the limit an event is refused unread, whatever it holds; at the limit it is read (padded by an extra field). */
  @Test
  void refusesAPayloadAboveTheLimitWithItsSizeAndTheLimit() {
    String valid = "{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\",\"completedAt\":1,\"padding\":\"";
    byte[] atLimit = (valid + "x".repeat(LIMIT - valid.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertEquals(LIMIT, atLimit.length);
    assertTrue(CompletionCodec.decode("dc.t.1.completed", atLimit, LIMIT).isValid(), "an event of exactly the limit is read");
    byte[] above = (valid + "x".repeat(LIMIT - valid.length() - 1) + "\"}").getBytes(StandardCharsets.UTF_8);
    CompletionCodec.Decoded decoded = CompletionCodec.decode("dc.t.1.completed", above, LIMIT);
    assertEquals(CompletionCodec.Rejection.TOO_LARGE, decoded.rejection().reason());
    assertEquals("payload on dc.t.1.completed is 65537 bytes, more than the limit of 65536 bytes (ingest.maxEventBytes)",
        decoded.rejection().message());
    assertEquals(CompletionCodec.Rejection.TOO_LARGE,
        CompletionCodec.decode("dc.t.1.completed", new byte[800 * 1024], LIMIT).rejection().reason());
    assertEquals(CompletionCodec.Rejection.MALFORMED_JSON,
        CompletionCodec.decode("dc.t.1.completed", null, LIMIT).rejection().reason(), "no payload at all");
  }

  @Test
  void subjectsAreBuiltFromValidatedIds() {
    assertEquals("dc.tool001.1.completed", Subjects.completed(TOOL1_1));
    assertEquals("defense.tool001.1.result", Subjects.verdict(TOOL1_1));
    assertEquals("chamberlain.defender.defender-7.inbox", Addresses.defenderInbox("defender-7"));
    assertEquals("dc.dlq.malformed-json", Subjects.deadLetter("malformed-json"));
  }

  @Test
  void historyEntriesMatchGoldenJsonListMovesAndReadLaterVersions() throws Exception {
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> before = new TreeMap<>();
    before.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-1", 30_000));
    before.put(ChamberKey.parse("tool001:2"), new AssignmentSnapshot.Entry("defender-2", 1_200));
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> after = new TreeMap<>(before);
    after.put(TOOL1_1, new AssignmentSnapshot.Entry("defender-3", 30_000));
    after.put(ChamberKey.parse("tool002:7"), new AssignmentSnapshot.Entry("defender-3", 500));
    after.put(ChamberKey.parse("tool001:2"), new AssignmentSnapshot.Entry("defender-2", "defender-3", 1_200));
    HistoryEntry entry = HistoryEntry.assignmentPublished(1_700_000_000_000L, 4, new AssignmentSnapshot(7, 0, before), after,
        8, "scaling: batched topology change", 2, 1);
    assertEquals(2, entry.movedChambers(), "a move and a first placement; the leased chamber keeps its home");
    assertEquals(List.of(new HistoryEntry.Lease("tool001:2", "defender-2", null, "defender-3")), entry.leases());
    assertEquals(30_500, entry.movedWeight());
    assertTrue(entry.concernsDefender("defender-3") && entry.concernsDefender("defender-1"));
    assertTrue(entry.concernsDefender("defender-2"), "its chamber was lent");
    assertFalse(entry.concernsDefender("defender-4"));
    assertEquals(golden("history-entry.json"), entry.withSeq(42).toJson().encodePrettily());
    assertEquals(entry.withSeq(42), HistoryEntry.fromJson(new JsonObject(golden("history-entry.json"))));

    JsonObject fromANewerLeader = HistoryEntry.stateChanged(1, 4, 8, "STABLE", "SCALING", "DefenderJoined").toJson()
        .put("kind", "quorum").put("someNewField", 1);
    HistoryEntry read = HistoryEntry.fromJson(fromANewerLeader);
    assertEquals(HistoryEntry.Kind.OTHER, read.kind(), "an unknown kind is read, not refused");
    assertEquals("STABLE", read.fromState());
    assertThrows(IllegalArgumentException.class, () -> HistoryEntry.fromJson(new JsonObject().put("kind", "state")));
    assertThrows(IllegalArgumentException.class, () -> HistoryEntry.fromJson(new JsonObject().put("kind", "state")
        .put("summary", "x").put("term", "four")));
  }

  @Test
  void profileChangesMatchGoldenJsonAndNameTheBadField() throws Exception {
    ProfileChange change = new ProfileChange(TOOL1_1, new io.chamberlain.domain.ChamberProfile(TOOL1_1, 30, 2, 60),
        1_700_000_000_000L, "status API");
    assertEquals(golden("profile-change.json"), change.toJson().encodePrettily());
    assertEquals(change, ProfileChange.fromJson(new JsonObject(golden("profile-change.json"))));
    ProfileChange removal = ProfileChange.fromJson(new JsonObject().put("chamber", "tool001:1"));
    assertTrue(removal.removes(), "no profile: removed");
    IllegalArgumentException badHz = assertThrows(IllegalArgumentException.class, () -> ProfileChange.fromJson(
        new JsonObject(golden("profile-change.json")).put("profile", new JsonObject().put("svidCount", 3).put("hz", "fast")
            .put("contextSeconds", 1))));
    assertTrue(badHz.getMessage().startsWith("hz"), badHz.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProfileChange.fromJson(new JsonObject().put("chamber", "a.b:1")));
  }

  @Test
  void gatewayStatsMatchGoldenJson() throws Exception {
    GatewayStats stats = new GatewayStats("node-a", 1_700_000_000_000L, 3, 1, List.of(12L, 40L, 5_200L),
        List.of(new GatewayStats.Breach("tool001:1", "ctx-9", 5_200, "defender-2")),
        List.of(new GatewayStats.ChamberActivity("tool001:1", 2, 1_699_999_990_000L, 1)));
    assertEquals(golden("gateway-stats.json"), stats.toJson().encodePrettily());
    assertEquals(stats, GatewayStats.fromJson(new JsonObject(golden("gateway-stats.json"))));
    assertEquals(List.of(), GatewayStats.fromJson(new JsonObject().put("gatewayId", "g")).breaches(), "missing lists are empty");
    assertThrows(IllegalArgumentException.class, () -> GatewayStats.fromJson(new JsonObject().put("events", 3)));
  }

  private static String golden(String name) throws Exception {
    try (var in = WireFormatTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
