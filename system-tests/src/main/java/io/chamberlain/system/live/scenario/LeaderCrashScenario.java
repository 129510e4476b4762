package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.ProcessCluster;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SIGKILL of the node the leader runs on, under steady load (1 gateway that does not lead,
 * 3 workers that may; 20 events/s over 30 chambers). The leader's node is a defender too, so two
 * things are lost at once: the assignment controller and a third of the chambers.
 *
 * <p>Checked: another node takes over in a newer term and continues from the persisted epoch (the
 * epoch and the term only ever grow in the leader's published view); every surviving defender ends
 * up holding the new leader's epoch, never an older one; only the dead defender's chambers move;
 * every event exactly one verdict. Measured: kill → new leader's first view, and the recovery of
 * the lost chambers.
 */
public final class LeaderCrashScenario extends LiveScenario {

  private static final List<String> DEFENDERS = List.of("defender-1", "defender-2", "defender-3");

  public LeaderCrashScenario() {
    super("leader-crash", "SIGKILL of the leader's node (also a defender), 3 workers",
        "8 s (HA redeploy)", "new leader within seconds, newer epoch, only the lost chambers move");
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withWorkerSlots(3).withDefenderTimeout(WorkerCrashScenario.HEARTBEAT_TIMEOUT)
        .withLeaderOnWorkersOnly();
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    ClusterView before = cluster.api().cluster();
    String victim = before.defenderOnLeaderNode().orElseThrow(() -> new IllegalStateException(
        "the leader's node " + before.leaderNode() + " runs no defender: " + before.defenders()));
    Set<String> survivors = new LinkedHashSet<>(DEFENDERS);
    survivors.remove(victim);
    result.detail("leader before", victim + " (term " + before.term() + ", epoch " + before.epoch() + ")");
    try (Load load = Load.start(cluster, chambers, EVENTS_PER_SECOND);
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      Set<ChamberKey> owned = awaitServing(cluster, victim);
      long killedAt = System.currentTimeMillis();
      cluster.worker(victim).kill9();
      cluster.worker(victim).awaitExit(seconds(10));
      ClusterView after = cluster.awaitSettled(survivors, seconds(60));
      load.awaitTraffic(10);
      ClusterView end = cluster.api().cluster();

      long newLeaderAfter = timeline.first(killedAt, view -> view.term() > before.term())
          .map(sample -> sample.at() - killedAt).orElse(-1L);
      result.detail("kill → first view of the new leader (ms)", newLeaderAfter);
      result.detail("leader after", end.defenderOnLeaderNode().orElse(end.leaderNode()) + " (term " + end.term()
          + ", epoch " + end.epoch() + ")");
      result.check("a new leader took over in a newer term", newLeaderAfter >= 0 && end.term() > before.term()
          && !before.leaderNode().equals(end.leaderNode()), "before " + before.term() + "@" + before.leaderNode()
          + ", after " + end.term() + "@" + end.leaderNode());
      result.check("the new leader continued with a newer epoch", after.epoch() > before.epoch(),
          "epoch " + before.epoch() + " → " + after.epoch());
      checkNothingOlderWasApplied(timeline, end, survivors, result);

      AuditReport report = load.audit(cluster, result);
      Recoveries.checkOnlyTheirsMoved(result, report, victim, owned, killedAt);
      Recoveries.record(result, Recoveries.reassignedAfter(timeline, victim, killedAt),
          Recoveries.of(report, owned, victim, killedAt), seconds(10).toMillis(), "election + crash handling; bound scaled");
    }
  }

  /**
   * Epoch and term never go backwards in what the gateway shows, and at the end every survivor
   * holds the current epoch (a defender applies only newer epochs; a deposed leader's older one
   * would show up as a lower held epoch).
   */
  private static void checkNothingOlderWasApplied(ClusterTimeline timeline, ClusterView end,
      Set<String> survivors, ScenarioResult result) {
    long epoch = -1;
    long term = -1;
    boolean monotonic = true;
    for (ClusterTimeline.Sample sample : timeline.samples()) {
      monotonic &= sample.view().epoch() >= epoch && sample.view().term() >= term;
      epoch = Math.max(epoch, sample.view().epoch());
      term = Math.max(term, sample.view().term());
    }
    result.check("epoch and term never went backwards", monotonic, "see " + timeline.samples().size() + " samples");
    Set<String> behind = new TreeSet<>();
    for (String defender : survivors) {
      ClusterView.Defender view = end.defenders().get(defender);
      if (view == null || view.heldEpoch() != end.epoch()) {
        behind.add(defender + "@" + (view == null ? "?" : view.heldEpoch()));
      }
    }
    result.check("every surviving defender holds the current epoch " + end.epoch(), behind.isEmpty(),
        "behind: " + behind);
  }
}
