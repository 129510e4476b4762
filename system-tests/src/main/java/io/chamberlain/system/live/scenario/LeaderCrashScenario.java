package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SIGKILL of the worker the leader runs on, under the standard load (1 gateway, 3 workers; every node
 * campaigns, and the leader is put on a worker by starting the workers first). The leader's node is a
 * defender too, so two things are lost at once: the assignment controller and a third of the chambers.
 *
 * <p>Invariants: another node takes over in a newer term and continues from the persisted epoch (the
 * epoch and the term only ever grow in the leader's published view); every surviving defender ends up
 * holding the new leader's epoch; exactly the dead defender's chambers change home; each is processed
 * again; every event exactly one verdict. Targets: its chambers served again within the 5 s SLA; no
 * SLA breach. See {@link LeaderNodeKillScenario} for the leader's node chosen by the product itself.
 */
public final class LeaderCrashScenario extends LiveScenario {

  private static final List<String> DEFENDERS = List.of("defender-1", "defender-2", "defender-3");
  private static final long RECOVERY_TARGET_MILLIS = 5_000;

  public LeaderCrashScenario(Profile profile) {
    super(profile, "leader-crash", "SIGKILL of the worker that runs the leader (3 workers)",
        "8 s (HA redeploy)", "— (coordinator failover)", "new leader within seconds, newer epoch, only the lost chambers move");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(3);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startClusterLeaderOnWorker(cluster, chambers, DEFENDERS);
    ClusterView before = cluster.api().cluster();
    String victim = before.defenderOnLeaderNode().orElseThrow(() -> new IllegalStateException(
        "the leader's node " + before.leaderNode() + " runs no defender: " + before.defenders()));
    Set<String> survivors = new LinkedHashSet<>(DEFENDERS);
    survivors.remove(victim);
    result.detail("leader before", victim + " (term " + before.term() + ", epoch " + before.epoch() + ")");
    try (Load load = Load.start(cluster, chambers, rate());
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      AssignmentView homesBefore = awaitServing(cluster, load);
      Set<ChamberKey> owned = chambersOf(homesBefore, victim);
      long killedAt = System.currentTimeMillis();
      cluster.worker(victim).kill9();
      cluster.worker(victim).awaitExit(seconds(10));
      ClusterView after = cluster.awaitSettled(survivors, seconds(60));
      AssignmentView homesAfter = homes(cluster);
      awaitWindow(load, 10);
      ClusterView end = cluster.api().cluster();

      long newLeaderAfter = timeline.first(killedAt, view -> view.term() > before.term())
          .map(sample -> sample.at() - killedAt).orElse(-1L);
      result.recovery("new leader", newLeaderAfter + " ms after the kill");
      result.detail("leader after", end.defenderOnLeaderNode().orElse(end.leaderNode()) + " (term " + end.term()
          + ", epoch " + end.epoch() + ")");
      result.invariant("a new leader took over in a newer term", newLeaderAfter >= 0 && end.term() > before.term()
          && !before.leaderNode().equals(end.leaderNode()), "before " + before.term() + "@" + before.leaderNode()
          + ", after " + end.term() + "@" + end.leaderNode());
      result.invariant("the new leader continued with a newer epoch", after.epoch() > before.epoch(),
          "epoch " + before.epoch() + " → " + after.epoch());
      checkNothingOlderWasApplied(timeline, end, survivors, result);

      Load.Outcome outcome = load.audit(cluster, result);
      Set<ChamberKey> moved = recordMovement(result, outcome, homesBefore, homesAfter, killedAt, Long.MAX_VALUE,
          timeline).moved();
      Recoveries.checkOnlyTheirsMoved(result, moved, victim, owned);
      Recoveries.record(result, Recoveries.reassignedAfter(timeline, victim, killedAt),
          Recoveries.of(outcome.report(), owned, victim, killedAt), RECOVERY_TARGET_MILLIS, "the SLA");
      slaTarget(result, outcome.latencies());
    }
  }

  /**
   * Epoch and term never go backwards in what the gateway shows, and at the end every survivor
   * holds the current epoch (a defender applies only newer epochs; a deposed leader's older one
   * would show up as a lower held epoch).
   */
  static void checkNothingOlderWasApplied(ClusterTimeline timeline, ClusterView end, Set<String> survivors,
      ScenarioResult result) {
    long epoch = -1;
    long term = -1;
    boolean monotonic = true;
    for (ClusterTimeline.Sample sample : timeline.samples()) {
      monotonic &= sample.view().epoch() >= epoch && sample.view().term() >= term;
      epoch = Math.max(epoch, sample.view().epoch());
      term = Math.max(term, sample.view().term());
    }
    result.invariant("epoch and term never went backwards", monotonic, "see " + timeline.samples().size() + " samples");
    Set<String> behind = new TreeSet<>();
    for (String defender : survivors) {
      ClusterView.Defender view = end.defenders().get(defender);
      if (view == null || view.heldEpoch() != end.epoch()) {
        behind.add(defender + "@" + (view == null ? "?" : view.heldEpoch()));
      }
    }
    result.invariant("every surviving defender holds the current epoch " + end.epoch(), behind.isEmpty(),
        "behind: " + behind);
  }
}
