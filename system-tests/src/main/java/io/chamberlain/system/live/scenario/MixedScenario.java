package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trial of issue 8, as a new user ran it: {@link #DURATION_MILLIS} of the standard load (50
 * events/s over 300 chambers, independent client) on 2 gateways and 4 workers at the product's
 * defaults while, one after the other: a worker is SIGKILLed and started again (t+5 s), another is
 * rolled — SIGTERM, the same id started again at once (t+15 s) — a third is frozen for 12 s (t+27 s),
 * and the ingesting gateway is SIGKILLed (t+45 s). Workers are picked among those not running the
 * leader.
 *
 * <p>The collector publishes for exactly the 60 s of the trial; then the cluster is left to settle
 * and every verdict is audited. Breaches are reported per fault: an event belongs to the fault whose window (from that fault's
 * start to the next's) its send falls in. Invariants: the audit (exactly once, order, exclusive
 * ownership through all four faults); the killed and rolled workers ended by their signals; the
 * cluster settles again with the restarted workers back (within 120 s); every chamber owned at the end. Target: 0 SLA breaches (issue 8 measured 171 and 287 of 3,000).
 */
public final class MixedScenario extends LiveScenario {

  static final long DURATION_MILLIS = 60_000;
  private static final List<String> DEFENDERS = defenders(4);
  private static final long KILL_AT = 5_000;
  private static final long ROLL_AT = 15_000;
  private static final long FREEZE_AT = 27_000;
  private static final long FREEZE_MILLIS = 12_000;
  private static final long GATEWAY_KILL_AT = 45_000;

  public MixedScenario(Profile profile) {
    super(profile, "mixed", "60 s of standard load while a worker is SIGKILLed + restarted, one rolled, one frozen "
        + "12 s, and the ingesting gateway SIGKILLed", "—", "—", "0 SLA breaches, 0 lost, order kept");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(2).withWorkerSlots(DEFENDERS.size());
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws InterruptedException {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    ClusterView start = cluster.api().cluster();
    List<String> victims = new ArrayList<>(DEFENDERS);
    start.defenderOnLeaderNode().ifPresent(victims::remove);
    String killed = victims.get(0);
    String rolled = victims.get(1);
    String frozen = victims.get(2);
    int ingesting = cluster.api(0).ingestion().equals("active") ? 0 : 1;
    cluster.useApiOf(1 - ingesting); // the surviving gateway's status API
    result.detail("roles", "kill " + killed + ", roll " + rolled + ", freeze " + frozen + ", gateway #" + ingesting
        + "; leader on " + start.defenderOnLeaderNode().orElse("a gateway"));
    AssignmentView before = homes(cluster); // settled: the homes before the trial
    Map<String, Long> faults = new LinkedHashMap<>();
    try (Load load = Load.start(cluster, chambers, rate());
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      long t0 = System.currentTimeMillis();
      pauseUntil(t0 + KILL_AT);
      faults.put("worker SIGKILL + restart", System.currentTimeMillis());
      signalAndRestart(cluster.worker(killed), true, result);
      pauseUntil(t0 + ROLL_AT);
      faults.put("worker roll", System.currentTimeMillis());
      signalAndRestart(cluster.worker(rolled), false, result);
      pauseUntil(t0 + FREEZE_AT);
      faults.put("worker frozen 12 s", System.currentTimeMillis());
      cluster.worker(frozen).freeze();
      Thread.sleep(FREEZE_MILLIS); // the freeze's length, not synchronisation
      thaw(cluster.worker(frozen), Duration.ofMillis(FREEZE_MILLIS), result);
      pauseUntil(t0 + GATEWAY_KILL_AT);
      faults.put("ingesting gateway SIGKILL", System.currentTimeMillis());
      cluster.gateway(ingesting).kill9();
      int gatewayExit = cluster.gateway(ingesting).awaitExit(seconds(10));
      result.invariant("the ingesting gateway died of SIGKILL", gatewayExit == NodeProcess.EXIT_SIGKILL,
          "exit code " + gatewayExit);
      pauseUntil(t0 + DURATION_MILLIS);
      load.stopPublishing(); // the trial is 60 s of traffic; settling afterwards adds none
      Set<String> required = new java.util.TreeSet<>(DEFENDERS);
      required.remove(frozen); // a thawed worker may or may not be back in the assignment yet
      settledAfterTrial(cluster, required, result);
      AssignmentView after = homes(cluster);
      result.invariant("every chamber owned at the end", after.owners().keySet().containsAll(chambers),
          "some chambers unowned");

      Load.Outcome outcome = load.audit(cluster, result);
      recordMovement(result, outcome, before, after, t0, Long.MAX_VALUE, timeline);
      reportPerFault(result, outcome.latencies(), faults);
      slaTarget(result, outcome.latencies());
    }
  }

  /**
   * Invariant: the cluster settles again with every restarted worker back. Recorded, not thrown, so a
   * hung rejoin still leaves the audit of every event to see.
   */
  private static void settledAfterTrial(ProcessCluster cluster, Set<String> required, ScenarioResult result) {
    try {
      cluster.awaitSettled("the cluster after the trial", view -> view.settledAmong(required, Set.copyOf(DEFENDERS)),
          seconds(120));
      result.invariant("the cluster settled again with " + required + " back", true, "");
    } catch (io.chamberlain.system.live.Await.TimeoutException notSettled) {
      result.invariant("the cluster settled again with " + required + " back", false, notSettled.getMessage());
    }
  }

  private static void signalAndRestart(NodeProcess worker, boolean kill, ScenarioResult result) {
    if (kill) {
      worker.kill9();
    } else {
      worker.terminate();
    }
    int exit = worker.awaitExit(seconds(40));
    int expected = kill ? NodeProcess.EXIT_SIGKILL : NodeProcess.EXIT_SIGTERM;
    result.invariant(worker.name() + " ended by " + (kill ? "SIGKILL" : "SIGTERM"), exit == expected, "exit code " + exit);
    worker.restart();
  }

  private static void reportPerFault(ScenarioResult result, Latencies latencies, Map<String, Long> faults) {
    List<Map.Entry<String, Long>> ordered = new ArrayList<>(faults.entrySet());
    for (int i = 0; i < ordered.size(); i++) {
      long from = ordered.get(i).getValue();
      long to = i + 1 < ordered.size() ? ordered.get(i + 1).getValue() : Long.MAX_VALUE;
      LatencySummary window = latencies.summary(Latencies.sentBetween(from, to));
      result.recovery(ordered.get(i).getKey(), window.breaches() + " breaches, max " + window.max() + " ms");
    }
    LatencySummary calm = latencies.summary(Latencies.sentBetween(0, ordered.get(0).getValue()));
    result.detail("before the first fault", calm.shortText());
  }
}
