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
    AssignmentStore.Stored oldLeader = first.publish(termOne, snapshot(1, "defender-1"));

    AssignmentStore second = AssignmentStore.open(nats);
    AssignmentStore.Stored loaded = second.load().orElseThrow();
    assertEquals(snapshot(1, "defender-1"), loaded.assignment());
    AssignmentStore.Stored termTwo = second.claim(loaded);
    assertEquals(2, termTwo.term());
    assertEquals(1, termTwo.assignment().epoch(), "the claimant continues from what it read");

    assertThrows(AssignmentStore.FencedOutException.class, () -> first.publish(oldLeader, snapshot(2, "defender-1")),
        "the deposed leader cannot overwrite");
    AssignmentStore.Stored newer = second.publish(termTwo, snapshot(2, "defender-2"));
    assertEquals(snapshot(2, "defender-2"), second.load().orElseThrow().assignment());
    assertEquals(2, second.load().orElseThrow().term());
    assertThrows(IllegalArgumentException.class, () -> second.publish(newer, snapshot(2, "defender-3")));
    assertThrows(AssignmentStore.FencedOutException.class, () -> first.claim(null), "only one first claim");
  }

  private static AssignmentSnapshot snapshot(long epoch, String owner) {
    TreeMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(ChamberKey.parse("tool001:1"), new AssignmentSnapshot.Entry(owner, 10.0));
    return new AssignmentSnapshot(epoch, 1_700_000_000_000L + epoch, chambers);
  }
}
