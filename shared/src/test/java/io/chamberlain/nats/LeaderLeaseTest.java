package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader's lease against a real nats-server: one winner, a lost lease refuses renewal, release frees it. */
class LeaderLeaseTest {

  private NatsTestServer server;
  private Connection nats;

  @BeforeEach
  void start() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    nats.close();
    server.close();
  }

  @Test
  void ofTwoCandidatesThatFoundItFreeExactlyOneTakesIt() throws Exception {
    NatsLease a = NatsLease.leader(nats);
    NatsLease b = NatsLease.leader(nats);
    NatsLease.Seen free = a.read();
    assertEquals(NatsLease.Seen.NONE, free);
    long won = a.take(free, "node-a");
    assertTrue(won > 0);
    assertEquals(-1, b.take(free, "node-b"), "b read the same free lease: too late");
    NatsLease.Seen held = b.read();
    assertEquals(new NatsLease.Seen(won, "node-a", false), held);
  }

  @Test
  void aLeaderWhoseExpiredLeaseWasTakenCannotRenewIt() throws Exception {
    NatsLease old = NatsLease.leader(nats);
    long held = old.take(NatsLease.Seen.NONE, "frozen");
    long renewed = old.renew(held, "frozen");
    assertTrue(renewed > held, "each renewal is a new revision candidates see change");

    NatsLease candidate = NatsLease.leader(nats);
    long taken = candidate.take(candidate.read(), "successor");
    assertTrue(taken > renewed);
    assertEquals(-1, old.renew(renewed, "frozen"), "waking up, the old leader learns it lost the lease");
    assertEquals("successor", candidate.read().holderNode());
  }

  @Test
  void aReleasedLeaseIsFreeForTheNextAndNotRenewableByTheOldHolder() throws Exception {
    NatsLease leader = NatsLease.leader(nats);
    long held = leader.take(NatsLease.Seen.NONE, "stopping");
    leader.release(held, "stopping");
    NatsLease.Seen seen = leader.read();
    assertTrue(seen.released());
    assertEquals("stopping", seen.holderNode());
    assertEquals(-1, leader.renew(held, "stopping"));
    NatsLease next = NatsLease.leader(nats);
    assertTrue(next.take(seen, "next") > 0);
    assertFalse(next.read().released());
  }

  @Test
  void theLeaseOnTheWireMatchesItsGoldenJson() throws Exception {
    NatsLease.leader(nats).take(NatsLease.Seen.NONE, "2fb2d15a-be61-4ce3-84cf-4fd9a44be300");
    byte[] stored = nats.keyValue(io.chamberlain.wire.Subjects.ASSIGNMENT_BUCKET)
        .get(io.chamberlain.wire.Subjects.LEADER_LEASE_KEY).getValue();
    try (var in = LeaderLeaseTest.class.getResourceAsStream("/golden/leader-lease.json")) {
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip(),
          new String(stored, StandardCharsets.UTF_8));
    }
  }
}
