package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chamberlain.leader.LeaseWatch.Verdict;
import org.junit.jupiter.api.Test;

/** A candidate's judgement of the leader's lease, by situation. */
class LeaseWatchTest {

  private static final long EXPIRY = 2_500;
  private static final long DROPPED_HOLDER = 1_250;
  private final LeaseWatch watch = new LeaseWatch(EXPIRY, DROPPED_HOLDER);

  @Test
  void aLeaseRenewedInTimeIsHeldHoweverLongItLasts() {
    for (long t = 0, revision = 1; t < 60_000; t += 500, revision++) {
      assertEquals(Verdict.HELD, watch.observe(t, revision, false, true), "at " + t);
    }
  }

  @Test
  void aLeaseNotRenewedForTheExpiryOfThisCandidatesTimeExpires() {
    assertEquals(Verdict.HELD, watch.observe(1_000, 7, false, true));
    assertEquals(Verdict.HELD, watch.observe(1_000 + EXPIRY - 1, 7, false, true));
    assertEquals(Verdict.EXPIRED, watch.observe(1_000 + EXPIRY, 7, false, true));
  }

  /** A 1.5 s stop-the-world pause of the leader, renewals every 500 ms, reads every 250 ms: held throughout. */
  @Test
  void aPauseOfOneAndAHalfSecondsKeepsTheLease() {
    long revision = 1;
    long lastRenewal = 0;
    for (long t = 0; t <= 10_000; t += 250) {
      boolean paused = t > 3_000 && t <= 4_500;
      if (!paused && t - lastRenewal >= 500) {
        revision++;
        lastRenewal = t;
      }
      assertEquals(Verdict.HELD, watch.observe(t, revision, false, true), "at " + t);
    }
  }

  @Test
  void noLeaseOrAReleasedOneIsFreeAtOnce() {
    assertEquals(Verdict.FREE, watch.observe(0, 0, false, false), "never taken");
    assertEquals(Verdict.FREE, watch.observe(10, 3, true, true), "released by a leader that stepped down");
    assertEquals(Verdict.FREE, watch.observe(20, 4, true, false), "released, its node gone since");
  }

  /** A crash: the cluster drops the holder's node, and the lease stays at the holder's last renewal. */
  @Test
  void aLeaseOfADroppedNodeThatStoppedRenewingIsFreeSoonNotAfterTheExpiry() {
    assertEquals(Verdict.HELD, watch.observe(0, 4, false, true));
    assertEquals(Verdict.HELD, watch.observe(DROPPED_HOLDER - 1, 4, false, false), "dropped, renewed a moment ago");
    assertEquals(Verdict.FREE, watch.observe(DROPPED_HOLDER, 4, false, false), "dropped, and no renewal since");
  }

  /**
   * A network partition between nodes: this side's cluster dropped the holder's node, but the holder
   * renews on through NATS (renewals every 500-750 ms, reads every 250 ms). Held throughout: taking
   * it would start two leaders alternating (issue 13).
   */
  @Test
  void aLeaseOfADroppedNodeThatStillRenewsIsHeld() {
    long revision = 1;
    long lastRenewal = 0;
    for (long t = 0; t <= 30_000; t += 250) {
      if (t - lastRenewal >= 750) {
        revision++;
        lastRenewal = t;
      }
      assertEquals(Verdict.HELD, watch.observe(t, revision, false, false), "at " + t);
    }
  }

  @Test
  void afterThisCandidateCouldNotLookItCountsAnew() {
    watch.observe(0, 5, false, true);
    watch.reset(10_000); // e.g. NATS was away, or this node was paused
    assertEquals(Verdict.HELD, watch.observe(10_000 + EXPIRY - 1, 5, false, true));
    assertEquals(Verdict.EXPIRED, watch.observe(10_000 + EXPIRY, 5, false, true));
  }

  @Test
  void theExpiryAndTheDroppedHoldersQuietMustBePositiveAndInOrder() {
    assertThrows(IllegalArgumentException.class, () -> new LeaseWatch(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new LeaseWatch(2_500, 0));
    assertThrows(IllegalArgumentException.class, () -> new LeaseWatch(2_500, 2_501), "beyond the expiry");
  }

  /** NATS restarts: the lease expires, but the holder's defenders heartbeat on over the cluster. */
  @Test
  void theHolderOfAnExpiredLeaseWhoseDefendersStillHeartbeatIsNotSilent() {
    watch.observe(0, 7, false, true);
    for (long t = 0; t <= EXPIRY; t += 500) {
      watch.heardFrom("node-a", t);
    }
    assertEquals(Verdict.EXPIRED, watch.observe(EXPIRY, 7, false, true));
    assertEquals(false, watch.isSilent("node-a", EXPIRY));
  }

  /** A frozen holder stopped heartbeating when it stopped renewing: silent, its defenders are lost. */
  @Test
  void theHolderOfAnExpiredLeaseThatStoppedHeartbeatingIsSilent() {
    watch.observe(0, 7, false, true);
    watch.heardFrom("node-a", 0);
    assertEquals(Verdict.EXPIRED, watch.observe(EXPIRY, 7, false, true));
    assertEquals(true, watch.isSilent("node-a", EXPIRY));
    assertEquals(true, watch.isSilent("node-never-heard", EXPIRY), "never heard from: silent");
    assertEquals(false, watch.isSilent("node-a", EXPIRY / 2 - 1), "heard within half the expiry: running");
  }
}
