package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A defender process dies by SIGKILL in the middle of processing, under the standard load (1 gateway,
 * 3 workers): no shutdown hook runs, the kernel resets its sockets.
 *
 * <p>Invariants: it died of SIGKILL; exactly the victim's chambers change home (nobody else's move);
 * each is processed again by a survivor; every event exactly one verdict in per-chamber order with
 * exclusive ownership. Targets: the cluster — not the leader's heartbeat timeout (product default
 * {@link #HEARTBEAT_TIMEOUT}) — declared it dead; its chambers served again within DESIGN.md's 2 s;
 * no SLA breach.
 */
public final class WorkerCrashScenario extends LiveScenario {

  static final String VICTIM = "defender-2";
  private static final Set<String> DEFENDERS = Set.of("defender-1", VICTIM, "defender-3");
  private static final Set<String> SURVIVORS = Set.of("defender-1", "defender-3");
  /** The product's default silence before the leader declares a defender dead: 1 s heartbeats × 5 missed. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RECOVERY_TARGET = Duration.ofSeconds(2);

  public WorkerCrashScenario(Profile profile) {
    super(profile, "worker-crash", "SIGKILL of 1 of 3 workers mid-event", "8 s",
        "46 s with default settings, 5.2–7.2 s with a 6 s session", "processing again ≤ 2 s, no other chamber moves");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(3);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    try (Load load = Load.start(cluster, chambers, rate());
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      AssignmentView before = awaitServing(cluster, load);
      Set<ChamberKey> owned = chambersOf(before, VICTIM);
      Await.until(VICTIM + " published a verdict within the last 300 ms", seconds(30), () -> load.tap()
          .lastVerdictOf(VICTIM).map(at -> System.currentTimeMillis() - at < 300).orElse(false));
      long killedAt = System.currentTimeMillis();
      cluster.worker(VICTIM).kill9();
      int exit = cluster.worker(VICTIM).awaitExit(seconds(10));
      result.invariant(VICTIM + " died of SIGKILL", exit == NodeProcess.EXIT_SIGKILL, "exit code " + exit);
      cluster.awaitSettled(SURVIVORS, seconds(60));
      AssignmentView after = homes(cluster);
      awaitWindow(load, 10);
      long reassignedAfter = Recoveries.reassignedAfter(timeline, VICTIM, killedAt);
      result.target("the cluster, not the " + HEARTBEAT_TIMEOUT.toSeconds() + " s heartbeat timeout, declared it dead",
          reassignedAfter >= 0 && reassignedAfter < HEARTBEAT_TIMEOUT.toMillis(), "reassigned after " + reassignedAfter + " ms");

      Load.Outcome outcome = load.audit(cluster, result);
      Set<ChamberKey> moved = recordMovement(result, outcome, before, after, killedAt, Long.MAX_VALUE, timeline).moved();
      Recoveries.checkOnlyTheirsMoved(result, moved, VICTIM, owned);
      Recoveries.record(result, reassignedAfter, Recoveries.of(outcome.report(), owned, VICTIM, killedAt),
          RECOVERY_TARGET.toMillis(), "DESIGN.md's crash target");
      slaTarget(result, outcome.latencies());
    }
  }
}
