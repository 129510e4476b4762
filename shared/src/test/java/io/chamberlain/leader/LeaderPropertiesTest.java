package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chamberlain.assign.Assignment;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderDecision.PublishAssignment;
import io.chamberlain.leader.LeaderInput.ChamberRegistered;
import io.chamberlain.leader.LeaderInput.DefenderJoined;
import io.chamberlain.leader.LeaderInput.DefenderLeft;
import io.chamberlain.leader.LeaderInput.DefenderLost;
import io.chamberlain.leader.LeaderInput.RestartAnnounced;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random topology histories against the leader: joins, leaves, crashes, frozen hosts, restarts
 * back in or out of grace, new chambers. The seed is logged; rerun with {@code -Dchamberlain.seed}.
 */
class LeaderPropertiesTest {

  private static final int HISTORIES = Integer.getInteger("chamberlain.histories", 300);
  private static final long GRACE = LeaderTuning.DEFAULT_RESTART_GRACE_MILLIS;

  private record PendingRejoin(long atMillis, String id, long announcedAt, List<ChamberKey> heldChambers) {
  }

  @Test
  void randomHistoriesKeepOwnershipEpochsDeterminismAndZeroMoveRestarts() {
    String fixed = System.getProperty("chamberlain.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    System.out.println("randomHistories: seed " + seed + " (rerun with -Dchamberlain.seed=" + seed + ")");
    for (int history = 0; history < HISTORIES; history++) {
      try {
        runHistory(new Random(seed + history));
      } catch (AssertionError e) {
        fail("history seed " + (seed + history) + " (base seed " + seed + "): " + e.getMessage(), e);
      }
    }
  }

  private void runHistory(Random random) {
    SortedMap<ChamberKey, Double> chambers = LeaderHarness.chambers(50 + random.nextInt(400));
    LeaderHarness h = LeaderHarness.coldStart(chambers);
    List<String> running = new ArrayList<>();
    List<PendingRejoin> rejoins = new ArrayList<>();
    int nextId = 0;
    long t = 0;
    int checkedPublications = 0;
    for (int step = 0; step < 40; step++) {
      t += random.nextInt(4_000);
      rejoinDue(h, running, rejoins, t);
      h.heartbeatUntil(t, running);
      switch (running.isEmpty() ? 0 : random.nextInt(7)) {
        case 0, 1 -> {
          String id = "d" + nextId++;
          h.send(new DefenderJoined(t, id, "v1", 1.0 + random.nextInt(2)));
          running.add(id);
        }
        case 2 -> h.send(new DefenderLeft(t, running.remove(random.nextInt(running.size()))));
        case 3 -> h.send(new DefenderLost(t, running.remove(random.nextInt(running.size())), "member removed"));
        case 4 -> running.remove(random.nextInt(running.size())); // frozen: only heartbeats stop
        case 5 -> {
          String id = running.remove(random.nextInt(running.size()));
          if (h.leader.defenderStatuses().get(id) == DefenderStatus.LIVE) {
            List<ChamberKey> held = h.leader.assignment().byDefender().getOrDefault(id, List.of());
            h.send(new RestartAnnounced(t, id));
            long down = 1_000 + random.nextInt((int) GRACE + 10_000);
            rejoins.add(new PendingRejoin(t + down, id, t, held));
          }
        }
        default -> h.send(new ChamberRegistered(t, new ChamberKey("new" + step, "1"), 500 + random.nextInt(5000)));
      }
      checkedPublications = checkPublications(h, checkedPublications);
    }
    rejoinDue(h, running, rejoins, t + 60_000);
    h.heartbeatUntil(t + 60_000, running);
    checkPublications(h, checkedPublications);
    checkSettled(h);
    assertReplayIsIdentical(h, chambers);
  }

  private static void rejoinDue(LeaderHarness h, List<String> running, List<PendingRejoin> rejoins, long until) {
    rejoins.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
    while (!rejoins.isEmpty() && rejoins.get(0).atMillis() <= until) {
      PendingRejoin rejoin = rejoins.remove(0);
      h.heartbeatUntil(rejoin.atMillis(), running);
      boolean held = h.leader.defenderStatuses().get(rejoin.id()) == DefenderStatus.RESTARTING;
      if (held) {
        assertTrue(rejoin.atMillis() - rejoin.announcedAt() < GRACE + 1_000, "held past its grace");
        List<ChamberKey> now = h.leader.assignment().byDefender().getOrDefault(rejoin.id(), List.of());
        // Zero moves: nothing it held went elsewhere. (It may have gained orphans if, at some
        // publication, every owner was restarting: they had nowhere else to go.)
        assertTrue(now.containsAll(rejoin.heldChambers()), "restart of " + rejoin.id() + " within grace moved "
            + "its chambers");
      }
      h.send(new DefenderJoined(rejoin.atMillis(), rejoin.id(), "v2", 1.0));
      running.add(rejoin.id());
    }
  }

  /**
   * Every new publication counts the epoch up by one; in the latest, no chamber sits on a dead
   * defender while a live one exists (leavers keep theirs until the next publication).
   */
  private static int checkPublications(LeaderHarness h, int alreadyChecked) {
    List<PublishAssignment> published = h.published();
    Map<String, DefenderStatus> statuses = h.leader.defenderStatuses();
    boolean anyLive = statuses.containsValue(DefenderStatus.LIVE);
    for (int i = alreadyChecked; i < published.size(); i++) {
      Assignment a = published.get(i).assignment();
      assertEquals(i + 1, a.epoch(), "epochs must count up by one");
      if (i == published.size() - 1 && anyLive) {
        a.byDefender().keySet().forEach(owner -> assertTrue(statuses.get(owner) != DefenderStatus.DEAD,
            owner + " is dead but still owns chambers"));
      }
    }
    return published.size();
  }

  /** After a quiet minute, every registered chamber is owned by a live or held defender. */
  private static void checkSettled(LeaderHarness h) {
    Map<String, DefenderStatus> statuses = h.leader.defenderStatuses();
    if (!statuses.containsValue(DefenderStatus.LIVE)) {
      return;
    }
    Assignment a = h.leader.assignment();
    assertEquals(h.leader.chambers().keySet(), a.owners().keySet(), "every chamber owned");
    a.byDefender().keySet().forEach(owner -> assertTrue(statuses.get(owner) == DefenderStatus.LIVE
        || statuses.get(owner) == DefenderStatus.RESTARTING, owner + " owns chambers but is " + statuses.get(owner)));
  }

  private static void assertReplayIsIdentical(LeaderHarness h, SortedMap<ChamberKey, Double> chambers) {
    Leader replay = Leader.coldStart(LeaderTuning.DEFAULT, LeaderHarness.engine(), new TreeMap<>(chambers), 0);
    List<LeaderDecision> decisions = new ArrayList<>(replay.start());
    for (LeaderInput input : h.inputs) {
      decisions.addAll(replay.handle(input));
    }
    assertEquals(h.decisions, decisions, "same inputs, same decisions");
  }
}
