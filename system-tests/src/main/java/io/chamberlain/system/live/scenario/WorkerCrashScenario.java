package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.VerdictAuditor;
import java.time.Duration;
import java.util.List;
import java.util.Set;


/**
 * A defender process dies by SIGKILL in the middle of processing, under steady load (1 gateway,
 * 3 workers, 20 events/s over 30 chambers): no shutdown hook runs, the kernel resets its sockets.
 *
 * <p>The leader's heartbeat timeout is set to {@link #HEARTBEAT_TIMEOUT} here, so a recovery faster
 * than that can only come from the cluster dropping the member ("member removed"), which is what
 * the design relies on. Checked: the victim's chambers — and only they — move to survivors, each
 * is processed again within {@link #RECOVERY_BOUND} (design target 2 s), every event exactly one
 * verdict in per-chamber order with exclusive ownership.
 */
public final class WorkerCrashScenario extends LiveScenario {

  static final String VICTIM = "defender-2";
  private static final Set<String> DEFENDERS = Set.of("defender-1", VICTIM, "defender-3");
  private static final Set<String> SURVIVORS = Set.of("defender-1", "defender-3");
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);

  public WorkerCrashScenario() {
    super("worker-crash", "SIGKILL of 1 of 3 workers mid-event (heartbeat timeout " + HEARTBEAT_TIMEOUT.toSeconds() + " s)",
        "8 s", "processing again ≤ 2 s, no other chamber moves");
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withWorkerSlots(3).withDefenderTimeout(HEARTBEAT_TIMEOUT);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    VerdictAuditor auditor = new VerdictAuditor(cluster.natsUrl());
    try (Load load = Load.start(cluster, chambers, EVENTS_PER_SECOND);
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      Set<ChamberKey> owned = awaitServing(cluster, VICTIM);
      Await.until(VICTIM + " published a verdict within the last 300 ms", seconds(30), () -> auditor.readAll()
          .stream().anyMatch(v -> v.defender().equals(VICTIM) && System.currentTimeMillis() - v.publishedAt() < 300));
      long killedAt = System.currentTimeMillis();
      cluster.worker(VICTIM).kill9();
      result.check(VICTIM + " died of SIGKILL", cluster.worker(VICTIM).awaitExit(seconds(10)) == NodeProcess.EXIT_SIGKILL,
          "exit code " + cluster.worker(VICTIM).awaitExit(Duration.ZERO));
      cluster.awaitSettled(SURVIVORS, seconds(60));
      load.awaitTraffic(10);
      long reassignedAfter = Recoveries.reassignedAfter(timeline, VICTIM, killedAt);
      result.check("the cluster, not the heartbeat timeout, declared it dead",
          reassignedAfter >= 0 && reassignedAfter < HEARTBEAT_TIMEOUT.toMillis(), "reassigned after " + reassignedAfter + " ms");

      AuditReport report = load.audit(cluster, result);
      Recoveries.checkOnlyTheirsMoved(result, report, VICTIM, owned, killedAt);
      Recoveries.record(result, reassignedAfter, Recoveries.of(report, owned, VICTIM, killedAt),
          seconds(RECOVERY_BOUND.toSeconds()).toMillis(), "design target 2 s; bound scaled");
    }
  }
}
