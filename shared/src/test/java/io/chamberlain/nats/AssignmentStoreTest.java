package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.AssignmentSnapshot;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The fence, against a real nats-server: a deposed leader's write can never land. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssignmentStoreTest {

  private NatsTestServer server;
  private Connection nats;

  @BeforeAll
  void start() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
  }

  @AfterAll
  void stop() throws Exception {
    nats.close();
    server.close();
  }

  @Test
  void aNewTermFencesOutTheOldLeaderAndEpochsKeepGrowing() throws Exception {
    AssignmentStore first = AssignmentStore.open(nats);
    assertTrue(first.load().isEmpty());
    AssignmentStore.Stored termOne = first.claim(null);
    assertEquals(1, termOne.term());
    AssignmentStore.Stored oldLeader = first.publish(termOne, snapshot(1, "defender-1"), LeaderMemo.EMPTY);

    AssignmentStore second = AssignmentStore.open(nats);
    AssignmentStore.Stored loaded = second.load().orElseThrow();
    assertEquals(snapshot(1, "defender-1"), loaded.assignment());
    AssignmentStore.Stored termTwo = second.claim(loaded);
    assertEquals(2, termTwo.term());
    assertEquals(1, termTwo.assignment().epoch(), "the claimant continues from what it read");

    assertThrows(AssignmentStore.FencedOutException.class, () -> first.publish(oldLeader, snapshot(2, "defender-1"), LeaderMemo.EMPTY),
        "the deposed leader cannot overwrite");
    AssignmentStore.Stored newer = second.publish(termTwo, snapshot(2, "defender-2"), LeaderMemo.EMPTY);
    assertEquals(snapshot(2, "defender-2"), second.load().orElseThrow().assignment());
    assertEquals(2, second.load().orElseThrow().term());
    assertThrows(IllegalArgumentException.class, () -> second.publish(newer, snapshot(2, "defender-3"), LeaderMemo.EMPTY));
    assertThrows(AssignmentStore.FencedOutException.class, () -> first.claim(null), "only one first claim");
  }

  @Test
  void theLeadersMemoTravelsWithTheEntryToTheNextTerm() throws Exception {
    try (NatsTestServer own = NatsTestServer.start(); Connection connection = Nats.connect(own.url())) {
      AssignmentStore leader = AssignmentStore.open(connection);
      AssignmentStore.Stored claimed = leader.claim(null);
      AssignmentStore.Stored published = leader.publish(claimed, snapshot(1, "defender-1"), LeaderMemo.EMPTY);
      LeaderMemo memo = new LeaderMemo(
          java.util.Map.of("defender-1", new LeaderMemo.RestartHold(1_700_000_030_000L, "node-a")),
          java.util.Map.of("defender-1", "node-a", "defender-2", "node-b"),
          java.util.Set.of("defender-2"), java.util.Set.of("defender-9"));
      AssignmentStore.Stored held = leader.publish(published, published.assignment(), memo);
      assertEquals(1, held.assignment().epoch(), "a memo alone does not make a new epoch");

      AssignmentStore next = AssignmentStore.open(connection);
      AssignmentStore.Stored takenOver = next.claim(next.load().orElseThrow());
      assertEquals(memo, takenOver.memo(), "the next leader keeps holding, knows the nodes and the drains");
      assertEquals(memo, next.load().orElseThrow().memo());
      assertThrows(AssignmentStore.FencedOutException.class,
          () -> leader.publish(held, held.assignment(), LeaderMemo.EMPTY), "the old leader cannot drop the hold");
      AssignmentStore.Stored released = next.publish(takenOver, snapshot(2, "defender-1"), LeaderMemo.EMPTY);
      assertEquals(LeaderMemo.EMPTY, next.load().orElseThrow().memo());
      assertThrows(IllegalArgumentException.class,
          () -> next.publish(released, snapshot(2, "defender-9"), LeaderMemo.EMPTY),
          "the same epoch with another assignment is refused");
    }
  }

  /** The memo's wire form (golden file), and a memo written before drains were kept reads with none. */
  @Test
  void theMemoMatchesItsGoldenJsonAndReadsTheVersionBeforeDrains() throws Exception {
    LeaderMemo memo = new LeaderMemo(
        java.util.Map.of("defender-1", new LeaderMemo.RestartHold(1_700_000_030_000L, "node-a")),
        java.util.Map.of("defender-1", "node-a", "defender-2", "node-b"), java.util.Set.of("defender-2"),
        java.util.Set.of("defender-7", "defender-8"));
    assertEquals(golden("leader-memo.json"), memo.toJson().encodePrettily());
    assertEquals(memo, LeaderMemo.fromJson(new io.vertx.core.json.JsonObject(golden("leader-memo.json"))));
    LeaderMemo before = LeaderMemo.fromJson(new io.vertx.core.json.JsonObject(golden("leader-memo-v1.json")));
    assertEquals(memo.restartHolds(), before.restartHolds());
    assertEquals(memo.defenderNodes(), before.defenderNodes());
    assertEquals(java.util.Set.of(), before.drainedByOperator());
    assertEquals(java.util.Set.of(), before.drainedForScaleIn());
    io.vertx.core.json.JsonObject withUnknown = memo.toJson().put("addedByALaterVersion", 42);
    assertEquals(memo, LeaderMemo.fromJson(withUnknown), "fields a reader does not know are ignored");
  }

  /** The entry's KV value (golden file); unknown fields ignored, a missing memo is none, a bad term or assignment named. */
  @Test
  void theEntryMatchesItsGoldenJson() throws Exception {
    LeaderMemo memo = new LeaderMemo(java.util.Map.of(), java.util.Map.of("defender-1", "node-a"));
    AssignmentStore.Stored entry = new AssignmentStore.Stored(9, 4, snapshot(7, "defender-1"), memo);
    assertEquals(golden("assignment-entry.json"), AssignmentStore.Stored.valueOf(4, entry.assignment(), memo).encodePrettily());
    io.vertx.core.json.JsonObject value = new io.vertx.core.json.JsonObject(golden("assignment-entry.json"));
    assertEquals(entry, AssignmentStore.Stored.of(9, value));
    assertEquals(entry, AssignmentStore.Stored.of(9, value.copy().put("writtenBy", "a later version")));
    io.vertx.core.json.JsonObject noMemo = value.copy();
    noMemo.remove("memo");
    assertEquals(LeaderMemo.EMPTY, AssignmentStore.Stored.of(9, noMemo).memo(), "written before the memo was kept");
    IllegalArgumentException badTerm = assertThrows(IllegalArgumentException.class,
        () -> AssignmentStore.Stored.of(9, value.copy().put("term", "four")));
    assertTrue(badTerm.getMessage().contains("'term'"), badTerm.getMessage());
    io.vertx.core.json.JsonObject noAssignment = value.copy();
    noAssignment.remove("assignment");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> AssignmentStore.Stored.of(9, noAssignment));
    assertTrue(missing.getMessage().contains("'assignment'"), missing.getMessage());
  }

  private static String golden(String name) throws java.io.IOException {
    try (var in = AssignmentStoreTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
  }

  private static AssignmentSnapshot snapshot(long epoch, String owner) {
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(ChamberKey.parse("tool001:1"), new AssignmentSnapshot.Entry(owner, 10.0));
    return new AssignmentSnapshot(epoch, 1_700_000_000_000L + epoch, chambers);
  }
}
