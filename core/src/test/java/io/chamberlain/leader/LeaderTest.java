package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderDecision.DefenderDeclaredDead;
import io.chamberlain.leader.LeaderDecision.InputIgnored;
import io.chamberlain.leader.LeaderDecision.PublishAssignment;
import io.chamberlain.leader.LeaderInput.ChamberRegistered;
import io.chamberlain.leader.LeaderInput.ChamberRemoved;
import io.chamberlain.leader.LeaderInput.DefenderJoined;
import io.chamberlain.leader.LeaderInput.DefenderLeft;
import io.chamberlain.leader.LeaderInput.DefenderLost;
import io.chamberlain.leader.LeaderInput.HeartbeatReceived;
import io.chamberlain.leader.LeaderInput.RestartAnnounced;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Every transition, driven by a fake clock. Times are milliseconds since the leader started. */
class LeaderTest {

  private static final double EPS = AssignmentTuning.DEFAULT_EPSILON;
  private final SortedMap<ChamberKey, Double> chambers = LeaderHarness.chambers(1500);

  private static List<String> ids(int from, int count) {
    List<String> result = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      result.add("defender-" + i);
    }
    return result;
  }

  /** Cold start with {@code count} defenders joining within 100 ms, settled and heartbeating. */
  private LeaderHarness stableWith(int count) {
    LeaderHarness h = LeaderHarness.coldStart(chambers);
    for (String id : ids(0, count)) {
      h.send(new DefenderJoined(h.now + 1, id, "v1", 1.0));
    }
    h.heartbeatUntil(h.now + 3000, ids(0, count));
    assertEquals(LeaderState.STABLE, h.leader.state());
    h.clear();
    return h;
  }

  @Test
  void coldStartOneJoinPerSecondOwnsEverythingAtOnceAndConvergesInThreeRounds() {
    LeaderHarness h = LeaderHarness.coldStart(chambers);
    List<String> joined = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      h.heartbeatUntil(i * 1000L, joined);
      h.send(new DefenderJoined(i * 1000L, "defender-" + i, "v1", 1.0));
      joined.add("defender-" + i);
    }
    h.heartbeatUntil(63_000 + 5_000, joined);

    List<PublishAssignment> rounds = h.published();
    assertTrue(rounds.size() <= 3, "rounds: " + rounds.size());
    PublishAssignment first = rounds.get(0);
    assertEquals(chambers.size(), first.assignment().size());
    assertTrue(indexOfDecision(h, first) >= 0);
    PublishAssignment last = rounds.get(rounds.size() - 1);
    assertEquals(64, last.summary().loads().size());
    assertTrue(last.summary().withinBounds(EPS), () -> "final " + last.summary());
    assertEquals(LeaderState.STABLE, h.leader.state());
    List<LeaderDecision.StateChanged> changes = h.stateChanges();
    assertEquals(1, changes.size(), changes::toString);
    assertEquals(LeaderState.COLD_START, changes.get(0).from());
    assertEquals(LeaderState.STABLE, changes.get(0).to());
    assertTrue(changes.get(0).cause() instanceof LeaderInput.TimerFired, () -> "the cold start ends when a timer fires: "
        + changes.get(0).cause().describe());
  }

  @Test
  void coldStartFirstRoundComesWithinOneSecondOfTheFirstJoin() {
    LeaderHarness h = LeaderHarness.coldStart(chambers);
    h.send(new DefenderJoined(10_000, "defender-0", "v1", 1.0));
    h.advanceTo(10_999);
    assertEquals(1, h.published().size());
    assertEquals(1, h.published().get(0).assignment().epoch());
  }

  private static int indexOfDecision(LeaderHarness h, LeaderDecision decision) {
    return h.decisions.indexOf(decision);
  }

  @Test
  void simultaneousColdStartIsOneAssignment() {
    LeaderHarness h = LeaderHarness.coldStart(chambers);
    for (String id : ids(0, 20)) {
      h.send(new DefenderJoined(5, id, "v1", 1.0));
    }
    h.heartbeatUntil(5_000, ids(0, 20));
    assertEquals(1, h.published().size());
    assertTrue(h.published().get(0).summary().withinBounds(EPS));
  }

  @Test
  void anOperatorRebalanceAppliesChangedWeightsAtOnceAndOnlyWhenThereIsSomethingToChange() {
    LeaderHarness h = stableWith(4);
    h.send(new LeaderInput.RebalanceRequested(h.now + 1, "test"));
    assertTrue(h.published().isEmpty(), "balanced already: nothing to publish");

    Assignment before = h.leader.assignment();
    before.byDefender().get("defender-0").stream().limit(100)
        .forEach(chamber -> h.send(new ChamberRegistered(h.now + 1, chamber, chambers.get(chamber) * 10)));
    h.heartbeatUntil(h.now + 3_000, ids(0, 4));
    assertTrue(h.published().isEmpty(), "a changed weight never moves chambers by itself");

    long stateSince = h.leader.stateSinceMillis();
    h.send(new LeaderInput.RebalanceRequested(h.now + 1, "test"));
    assertEquals(1, h.published().size());
    PublishAssignment rebalance = h.published().get(0);
    assertTrue(rebalance.reason().contains("requested by test"), rebalance.reason());
    assertTrue(rebalance.summary().withinBounds(EPS), () -> "bounds " + rebalance.summary());
    assertTrue(rebalance.summary().movedChambers() > 0);
    assertEquals(LeaderState.STABLE, h.leader.state());
    assertEquals(stateSince, h.leader.stateSinceMillis(), "still in the state it entered before");
  }

  @Test
  void anOperatorRebalanceDuringTheColdStartIsIgnoredWithTheReason() {
    LeaderHarness h = LeaderHarness.coldStart(chambers);
    h.send(new DefenderJoined(h.now + 1, "defender-0", "v1", 1.0));
    List<LeaderDecision> out = h.send(new LeaderInput.RebalanceRequested(h.now + 1, "test"));
    assertTrue(out.stream().anyMatch(d -> d instanceof InputIgnored ignored && ignored.reason().contains("cold start")), out::toString);
  }

  @Test
  void theStateRemembersWhenItWasEntered() {
    LeaderHarness h = stableWith(4);
    long joinedAt = h.now + 20;
    h.send(new DefenderJoined(joinedAt, "defender-9", "v1", 1.0));
    assertEquals(LeaderState.SCALING, h.leader.state());
    assertEquals(joinedAt, h.leader.stateSinceMillis());
  }

  @Test
  void scaleUpIsBatchedIntoOneIncrementalRebalance() {
    LeaderHarness h = stableWith(64);
    for (String id : ids(64, 36)) {
      h.send(new DefenderJoined(h.now + 20, id, "v1", 1.0));
    }
    assertEquals(LeaderState.SCALING, h.leader.state());
    h.heartbeatUntil(h.now + 5_000, ids(0, 100));

    assertEquals(1, h.published().size());
    PublishAssignment rebalance = h.published().get(0);
    assertTrue(rebalance.summary().withinBounds(EPS), () -> "bounds " + rebalance.summary());
    assertTrue(rebalance.summary().movementRatio() <= 1.1, () -> "ratio " + rebalance.summary().movementRatio());
    assertEquals(LeaderState.STABLE, h.leader.state());
  }

  @Test
  void scaleDownLeaversKeepTheirChambersUntilTheBatchIsPublished() {
    LeaderHarness h = stableWith(64);
    Assignment before = h.leader.assignment();
    for (String id : ids(30, 34)) {
      h.send(new DefenderLeft(h.now + 10, id));
    }
    assertEquals(before, h.leader.assignment());
    h.heartbeatUntil(h.now + 5_000, ids(0, 30));

    assertEquals(1, h.published().size());
    Assignment after = h.published().get(0).assignment();
    assertEquals(30, after.byDefender().size());
    before.owners().forEach((chamber, owner) -> {
      if (Integer.parseInt(owner.substring("defender-".length())) < 30) {
        assertEquals(owner, after.ownerOf(chamber), chamber + " moved between survivors");
      }
    });
    assertFalse(h.leader.defenderStatuses().containsKey("defender-40"));
  }

  @Test
  void crashRedistributesOnlyItsChambersImmediately() {
    LeaderHarness h = stableWith(30);
    Assignment before = h.leader.assignment();
    List<LeaderDecision> out = h.send(new DefenderLost(h.now + 100, "defender-7", "member removed"));

    assertTrue(out.get(0) instanceof DefenderDeclaredDead);
    PublishAssignment redistribution = (PublishAssignment) out.get(1);
    assertEquals(before.epoch() + 1, redistribution.assignment().epoch());
    before.owners().forEach((chamber, owner) -> {
      if (!owner.equals("defender-7")) {
        assertEquals(owner, redistribution.assignment().ownerOf(chamber));
      }
    });
    assertFalse(redistribution.assignment().byDefender().containsKey("defender-7"));
    assertEquals(LeaderState.EMERGENCY, h.leader.state());
    List<String> survivors = new ArrayList<>(ids(0, 30));
    survivors.remove("defender-7");
    h.heartbeatUntil(h.now + 2_000, survivors);
    assertEquals(LeaderState.STABLE, h.leader.state());
    assertEquals(1, h.published().size());
  }

  @Test
  void silentDefenderIsDeclaredDeadAtItsSilenceDeadline() {
    LeaderHarness h = stableWith(10);
    long lastHeard = h.now / 1000 * 1000; // every defender's last heartbeat (the harness beats on whole seconds)
    List<String> others = ids(1, 9);
    h.heartbeatUntil(lastHeard + LeaderTuning.DEFAULT.deadAfterMillis() - 1, others);
    assertEquals(List.of(), h.published(), "alive until the deadline");
    h.heartbeatUntil(lastHeard + LeaderTuning.DEFAULT.deadAfterMillis(), others);
    DefenderDeclaredDead dead = (DefenderDeclaredDead) h.decisions.stream()
        .filter(d -> d instanceof DefenderDeclaredDead).findFirst().orElseThrow();
    assertEquals("defender-0", dead.defenderId());
    assertEquals(1, h.published().size(), "declared dead on its deadline, not at the next periodic check");
    assertFalse(h.published().get(0).assignment().byDefender().containsKey("defender-0"));
  }

  /**
   * A stop-the-world pause of 1.5 s with heartbeats every 500 ms: the longest silence is the pause
   * plus one interval, below the 2.5 s deadline. Nothing is declared, nothing published.
   */
  @Test
  void aPauseOfOneAndAHalfSecondsMovesNothing() {
    LeaderHarness h = stableWith(10);
    long interval = LeaderTuning.DEFAULT.heartbeatIntervalMillis();
    long lastBeat = h.now + interval - 1; // its last heartbeat just before the pause
    for (long t = h.now + interval; t <= lastBeat + 1_500 + interval; t += interval) {
      for (String id : ids(0, 10)) {
        if (!id.equals("defender-0") || t <= lastBeat || t > lastBeat + 1_500) {
          h.send(new HeartbeatReceived(t, id));
        }
      }
    }
    h.heartbeatUntil(h.now + 5_000, ids(0, 10));
    assertEquals(List.of(), h.published());
    assertTrue(h.decisions.stream().noneMatch(d -> d instanceof DefenderDeclaredDead), h.decisions.toString());
  }

  @Test
  void aSuspectedDefenderIsDeadAtTheShorterSilenceAndOnlyIfTheLeaderAgrees() {
    LeaderHarness h = stableWith(10);
    long lastHeard = h.now / 1000 * 1000;
    List<String> others = ids(1, 9);
    // A suspicion while the leader still hears it recently is kept, not acted on …
    h.heartbeatUntil(lastHeard + 1_000, others);
    h.send(new LeaderInput.DefenderSuspected(lastHeard + 1_000, "defender-0", "request outstanding 1.9 s"));
    assertEquals(List.of(), h.published());
    // … until the leader's own clock agrees: silent for suspectedSilenceMillis, not deadAfterMillis.
    h.heartbeatUntil(lastHeard + LeaderTuning.DEFAULT.suspectedSilenceMillis(), others);
    DefenderDeclaredDead dead = (DefenderDeclaredDead) h.decisions.stream()
        .filter(d -> d instanceof DefenderDeclaredDead).findFirst().orElseThrow();
    assertEquals("defender-0", dead.defenderId());
    assertEquals(DefenderDeclaredDead.DeathCause.MISSED_HEARTBEATS, dead.cause());
    assertTrue(dead.reason().contains("suspected: request outstanding 1.9 s"), dead.reason());
    assertEquals(1, h.published().size());
  }

  @Test
  void aHeartbeatClearsASuspicion() {
    LeaderHarness h = stableWith(10);
    h.send(new LeaderInput.DefenderSuspected(h.now + 100, "defender-0", "request outstanding"));
    h.heartbeatUntil(h.now + 10_000, ids(0, 10)); // heartbeats every second: it was alive after all
    assertEquals(List.of(), h.published());
    assertIgnored(h.send(new LeaderInput.DefenderSuspected(h.now + 1, "ghost", "request outstanding")), "unknown");
  }

  /**
   * A rolling update of all 30: each restart lends exactly the restarting defender's chambers to
   * the others at once and hands exactly those back when it rejoins — two publications per step,
   * and no home ever changes.
   */
  @Test
  void rollingUpdateLendsAndHandsBackWithoutMovingAnything() {
    LeaderHarness h = stableWith(30);
    Assignment before = h.leader.assignment();
    for (int i = 0; i < 30; i++) {
      String id = "defender-" + i;
      List<ChamberKey> own = before.byDefender().get(id);
      int published = h.published().size();
      h.send(new RestartAnnounced(h.now + 100, id));
      assertEquals(LeaderState.ROLLING_UPDATE, h.leader.state());
      Assignment lent = h.leader.assignment();
      assertTrue(lent.sameOwners(before), "a restart moves no home");
      assertEquals(new java.util.TreeSet<>(own), lent.leases().keySet(), "exactly its chambers are lent");
      assertFalse(lent.leases().containsValue(id));
      assertEquals(own.size(), h.published().get(published).leases().lent());
      h.send(new DefenderLost(h.now + 50, id, "member removed")); // the cluster sees it go: expected
      List<String> others = new ArrayList<>(ids(0, 30));
      others.remove(id);
      h.heartbeatUntil(h.now + 5_000, others);
      h.send(new DefenderJoined(h.now + 1, id, "v2", 1.0));
      assertEquals(published + 2, h.published().size(), "one lease, one hand-back");
      assertEquals(own.size(), h.published().get(published + 1).leases().returned());
      assertEquals(Map.of(), h.leader.assignment().leases());
    }
    h.heartbeatUntil(h.now + 3_000, ids(0, 30));
    assertTrue(h.published().stream().allMatch(p -> p.summary().movedChambers() == 0
        && p.assignment().sameOwners(before)), "homes never changed");
    assertTrue(before.sameRouting(h.leader.assignment()));
    assertEquals(LeaderState.STABLE, h.leader.state());
  }

  /** Deputies are balanced by weight: each ends within one heaviest chamber of an even share. */
  @Test
  void leasesAreSpreadEvenlyOverTheDeputies() {
    LeaderHarness h = stableWith(10);
    h.send(new RestartAnnounced(h.now + 1, "defender-3"));
    Assignment lent = h.leader.assignment();
    Map<String, Double> served = new java.util.TreeMap<>();
    lent.owners().keySet().forEach(chamber -> served.merge(lent.servedBy(chamber), chambers.get(chamber), Double::sum));
    double total = chambers.values().stream().mapToDouble(Double::doubleValue).sum();
    double heaviest = chambers.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertEquals(9, served.size(), "every other defender serves, the restarting one nothing: " + served);
    served.values().forEach(load -> assertTrue(Math.abs(load - total / 9) <= heaviest,
        () -> "served " + served + ", even share " + total / 9));
  }

  /** A second restart during the first: only the new one's chambers are lent, plus what it served as a deputy. */
  @Test
  void leasesAreStickyAndADeputyThatRestartsPassesItsLeasesOn() {
    LeaderHarness h = stableWith(10);
    h.send(new RestartAnnounced(h.now + 1, "defender-3"));
    Map<ChamberKey, String> first = h.leader.assignment().leases();
    String deputy = first.values().iterator().next();
    h.send(new RestartAnnounced(h.now + 1, deputy));
    Map<ChamberKey, String> second = h.leader.assignment().leases();
    first.forEach((chamber, was) -> {
      if (!was.equals(deputy)) {
        assertEquals(was, second.get(chamber), "lease of " + chamber + " is sticky");
      } else {
        assertFalse(List.of(deputy, "defender-3").contains(second.get(chamber)), "re-lent, not to a restarting one");
      }
    });
    h.leader.assignment().byDefender().get(deputy).forEach(chamber -> assertTrue(second.containsKey(chamber)));
  }

  @Test
  void aDeputyThatCrashesHasItsLeasesReLentAndItsOwnChambersPlaced() {
    LeaderHarness h = stableWith(10);
    h.send(new RestartAnnounced(h.now + 1, "defender-3"));
    String deputy = h.leader.assignment().leases().values().iterator().next();
    h.send(new DefenderLost(h.now + 1, deputy, "member removed"));
    Assignment after = h.leader.assignment();
    assertFalse(after.owners().containsValue(deputy));
    assertFalse(after.leases().containsValue(deputy));
    assertEquals(new java.util.TreeSet<>(after.byDefender().get("defender-3")), after.leases().keySet(),
        "defender-3 is still held, every chamber of it lent");
  }

  @Test
  void withEveryoneRestartingNothingIsLent() {
    LeaderHarness h = stableWith(2);
    h.send(new RestartAnnounced(h.now + 1, "defender-0"));
    h.send(new RestartAnnounced(h.now + 1, "defender-1"));
    assertEquals(Map.of(), h.leader.assignment().leases(), "no deputy: the chambers wait for the restarts");
  }

  /**
   * Not back within its grace: declared dead — and its chambers stay with the deputies serving
   * them: the leases become homes, no chamber changes who serves it.
   */
  @Test
  void restartNotBackWithinGraceIsACrashThatMovesNothingServed() {
    LeaderHarness h = stableWith(10);
    h.send(new RestartAnnounced(h.now + 1, "defender-3"));
    Assignment lent = h.leader.assignment();
    List<String> others = new ArrayList<>(ids(0, 10));
    others.remove("defender-3");
    h.heartbeatUntil(h.now + LeaderTuning.DEFAULT_RESTART_GRACE_MILLIS + 1_000, others);
    assertTrue(h.decisions.stream().anyMatch(d -> d instanceof DefenderDeclaredDead dead
        && dead.defenderId().equals("defender-3") && dead.cause() == DefenderDeclaredDead.DeathCause.RESTART_GRACE_EXPIRED
        && dead.reason().contains("grace")));
    assertEquals(2, h.published().size(), "the lease, then giving up");
    Assignment after = h.published().get(1).assignment();
    assertFalse(after.byDefender().containsKey("defender-3"));
    assertEquals(Map.of(), after.leases());
    lent.owners().keySet().forEach(chamber -> assertEquals(lent.servedBy(chamber), after.servedBy(chamber),
        chamber + " changed who serves it"));
    assertEquals(0, h.published().get(1).summary().movedChambers());
  }

  @Test
  void unannouncedRestartWithANewVersionMovesNothing() {
    LeaderHarness h = stableWith(10);
    h.send(new DefenderJoined(h.now + 1, "defender-2", "v2", 1.0));
    h.heartbeatUntil(h.now + 3_000, ids(0, 10));
    assertEquals(List.of(), h.published());
  }

  @Test
  void deadDefenderComingBackIsNewCapacityAndNothingMovesBackUnlessNeeded() {
    LeaderHarness h = stableWith(30);
    h.send(new DefenderLost(h.now + 1, "defender-5", "member removed"));
    List<String> survivors = new ArrayList<>(ids(0, 30));
    survivors.remove("defender-5");
    h.heartbeatUntil(h.now + 2_000, survivors);
    h.send(new DefenderJoined(h.now, "defender-5", "v1", 1.0));
    assertEquals(LeaderState.SCALING, h.leader.state());
    h.heartbeatUntil(h.now + 3_000, ids(0, 30));

    assertEquals(2, h.published().size(), () -> h.published().stream().map(PublishAssignment::reason).toList().toString());
    PublishAssignment comeback = h.published().get(1);
    assertTrue(comeback.summary().withinBounds(EPS));
    assertTrue(comeback.summary().movementRatio() <= 1.1, () -> "ratio " + comeback.summary().movementRatio());
  }

  @Test
  void resumedLeaderContinuesFromThePersistedAssignment() {
    LeaderHarness first = stableWith(20);
    Assignment persisted = first.leader.assignment();

    LeaderHarness resumed = LeaderHarness.resume(chambers, persisted, 100_000);
    assertEquals(LeaderState.STABLE, resumed.leader.state());
    for (String id : ids(0, 20)) {
      resumed.send(new DefenderJoined(100_100, id, "v1", 1.0));
    }
    resumed.heartbeatUntil(110_000, ids(0, 20));
    assertEquals(List.of(), resumed.published());
    assertEquals(persisted, resumed.leader.assignment());

    resumed.send(new DefenderLost(110_001, "defender-0", "member removed"));
    assertEquals(persisted.epoch() + 1, resumed.leader.assignment().epoch());
  }

  @Test
  void resumedLeaderDeclaresSilentOwnersDead() {
    LeaderHarness first = stableWith(5);
    LeaderHarness resumed = LeaderHarness.resume(chambers, first.leader.assignment(), 50_000);
    resumed.heartbeatUntil(57_000, ids(0, 4));
    assertFalse(resumed.published().get(0).assignment().byDefender().containsKey("defender-4"));
  }

  @Test
  void restartHeldByTheOldLeaderIsStillHeldByTheNextOneAndMovesNothing() {
    LeaderHarness first = stableWith(10);
    first.send(new RestartAnnounced(first.now + 1, "defender-3"));
    java.util.SortedMap<String, Long> holds = first.leader.restartHolds();
    assertEquals(java.util.Map.of("defender-3", first.now + LeaderTuning.DEFAULT_RESTART_GRACE_MILLIS), holds);

    // The restarting defender hosted the leader: a new one takes over from what was persisted.
    LeaderHarness resumed = LeaderHarness.resume(chambers, first.leader.assignment(), holds, first.now + 2_000);
    assertEquals(LeaderState.ROLLING_UPDATE, resumed.leader.state());
    List<String> others = new ArrayList<>(ids(0, 10));
    others.remove("defender-3");
    resumed.heartbeatUntil(resumed.now + 20_000, others);
    assertEquals(List.of(), resumed.published(), "nothing changes while the restart is held: the leases persisted");
    resumed.send(new DefenderJoined(resumed.now + 1, "defender-3", "v2", 1.0));
    resumed.heartbeatUntil(resumed.now + 5_000, ids(0, 10));
    assertEquals(1, resumed.published().size(), "the hand-back");
    assertTrue(resumed.published().get(0).assignment().sameOwners(first.leader.assignment()));
    assertEquals(Map.of(), resumed.leader.assignment().leases());
    assertEquals(LeaderState.STABLE, resumed.leader.state());
    assertEquals(java.util.Map.of(), resumed.leader.restartHolds());
  }

  @Test
  void inheritedRestartNotBackWithinItsOriginalGraceIsACrash() {
    LeaderHarness first = stableWith(10);
    first.send(new RestartAnnounced(first.now + 1, "defender-3"));
    long graceEnd = first.leader.restartHolds().get("defender-3");
    LeaderHarness resumed = LeaderHarness.resume(chambers, first.leader.assignment(), first.leader.restartHolds(),
        graceEnd - 5_000);
    List<String> others = new ArrayList<>(ids(0, 10));
    others.remove("defender-3");
    resumed.heartbeatUntil(graceEnd - 1_000, others);
    assertEquals(List.of(), resumed.published());
    resumed.heartbeatUntil(graceEnd + 1_000, others);
    assertEquals(1, resumed.published().size(), "the grace the first leader granted is not extended");
    assertFalse(resumed.published().get(0).assignment().byDefender().containsKey("defender-3"));
    assertEquals(Map.of(), resumed.published().get(0).assignment().leases());
  }

  @Test
  void aPausedLeaderDoesNotBlameTheDefendersForItsOwnSilence() {
    LeaderHarness h = stableWith(10);
    Assignment before = h.leader.assignment();
    // The leader's process stops for 20 s (GC, SIGSTOP): no timer fires, no heartbeat is read.
    List<LeaderDecision> woke = h.pausedUntil(h.now + 20_000);
    assertTrue(woke.stream().anyMatch(d -> d instanceof LeaderDecision.LeaderPaused), woke.toString());
    assertTrue(woke.stream().noneMatch(d -> d instanceof DefenderDeclaredDead), woke.toString());
    h.heartbeatUntil(h.now + 5_000, ids(0, 10));
    assertEquals(List.of(), h.published());
    assertEquals(before, h.leader.assignment());

    // A defender that really stopped is still declared dead, a silence timeout after the pause.
    List<String> others = new ArrayList<>(ids(0, 10));
    others.remove("defender-4");
    h.heartbeatUntil(h.now + LeaderTuning.DEFAULT.deadAfterMillis() + 2_000, others);
    assertEquals(1, h.published().size());
    assertFalse(h.published().get(0).assignment().byDefender().containsKey("defender-4"));
  }

  @Test
  void registeredChambersArePlacedInOneBatchWithoutMovingOthers() {
    LeaderHarness h = stableWith(10);
    Assignment before = h.leader.assignment();
    long burst = h.now + 1; // a gateway's burst of first events: within one batch window
    for (int i = 0; i < 50; i++) {
      h.send(new ChamberRegistered(burst, new ChamberKey("newtool", Integer.toString(i)), 2000.0));
    }
    h.send(new ChamberRemoved(burst + LeaderTuning.DEFAULT_CHAMBER_BATCH_MILLIS - 1,
        before.owners().keySet().iterator().next()));
    h.heartbeatUntil(h.now + 1_000, ids(0, 10));

    assertEquals(1, h.published().size());
    Assignment after = h.published().get(0).assignment();
    assertEquals(chambers.size() + 50 - 1, after.size());
    before.owners().forEach((chamber, owner) -> {
      if (after.ownerOf(chamber) != null) {
        assertEquals(owner, after.ownerOf(chamber));
      }
    });
  }

  @Test
  void staleOrUnknownInputsAreIgnoredWithAReason() {
    LeaderHarness h = stableWith(3);
    assertIgnored(h.send(new HeartbeatReceived(h.now + 1, "ghost")), "unknown");
    assertIgnored(h.send(new RestartAnnounced(h.now + 1, "ghost")), "unknown");
    assertIgnored(h.send(new DefenderLeft(h.now + 1, "ghost")), "unknown");
    assertIgnored(h.send(new DefenderLost(h.now + 1, "ghost", "member removed")), "unknown");
    assertIgnored(h.send(new ChamberRemoved(h.now + 1, new ChamberKey("nope", "1"))), "not registered");
    h.send(new RestartAnnounced(h.now + 1, "defender-1"));
    assertIgnored(h.send(new DefenderLost(h.now + 1, "defender-1", "member removed")), "held");
    assertIgnored(h.send(new HeartbeatReceived(h.now + 1, "defender-1")), "RESTARTING");
    assertEquals(1, h.published().size(), "only the restart's lease");
  }

  @Test
  void timeMustNotGoBackwards() {
    LeaderHarness h = stableWith(2);
    h.send(new HeartbeatReceived(h.now, "defender-0"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> h.leader.handle(new HeartbeatReceived(h.now - 1, "defender-0")));
    assertTrue(e.getMessage().contains("backwards"), e.getMessage());
  }

  @Test
  void tuningRejectsInconsistentWindows() {
    assertThrows(IllegalArgumentException.class, () -> new LeaderTuning(1000, 5, 900, 800, 1500, 10_000, 500,
        2000, 30_000, 200, 1000, 1700));
    assertThrows(IllegalArgumentException.class, () -> new LeaderTuning(0, 5, 300, 800, 1500, 10_000, 500,
        2000, 30_000, 200, 1000, 1700));
    assertThrows(IllegalArgumentException.class, () -> new LeaderTuning(500, 5, 300, 800, 1500, 10_000, 500,
        2000, 30_000, 200, 1000, 2600), "a suspicion may only shorten the silence deadline");
    assertEquals(2_500, LeaderTuning.DEFAULT.deadAfterMillis());
  }

  private static void assertIgnored(List<LeaderDecision> out, String reasonPart) {
    InputIgnored ignored = (InputIgnored) out.stream().filter(d -> d instanceof InputIgnored).findFirst()
        .orElseThrow(() -> new AssertionError("not ignored: " + out));
    assertTrue(ignored.reason().contains(reasonPart), ignored.reason());
  }

  @Test
  void capacityChangeOnRejoinIsATopologyChange() {
    LeaderHarness h = stableWith(10);
    h.send(new DefenderJoined(h.now + 1, "defender-0", "v1", 2.0));
    assertEquals(LeaderState.SCALING, h.leader.state());
    h.heartbeatUntil(h.now + 3_000, ids(0, 10));
    Map<String, Double> fair = h.published().get(0).summary().fairShares();
    assertEquals(2 * fair.get("defender-1"), fair.get("defender-0"), 1e-6);
  }
}
