package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.Movement;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rolling update of every worker, one by one, under the standard load: SIGTERM (the worker
 * announces the restart, finishes its events in flight, leaves), wait for it to exit, start the same
 * defender id again at once; the next step once the cluster is settled again (nothing leased, same
 * epoch for a second). The workers start before the gateways, so the leader runs on a worker and one
 * step restarts the leader's own node. Benchmark: 2 gateways, 4 workers; test: 1 gateway, 2 workers
 * (the invariant is the same, and CI keeps its ~9 minutes of system tests).
 *
 * <p>Invariants: every event exactly one verdict in order; every worker stopped gracefully on
 * SIGTERM; <b>0 home changes</b> — the {@code owner} of every chamber in {@code /api/assignments} is
 * the same after the roll as before (the product's promise for a same-id restart; no slack: a lease is
 * not a move). Targets: 0 SLA breaches; no event of a restarting defender's chambers waited longer
 * than that defender's restart + {@link #PAUSE_ALLOWANCE_MILLIS}. Reported per step: the restart
 * (SIGTERM → live again on its new node) and the longest wait of its chambers' events.
 */
public final class RollAllScenario extends LiveScenario {

  /** DESIGN.md: "a chamber paused no longer than its defender's restart + 0.5 s" (before leases). */
  static final long PAUSE_ALLOWANCE_MILLIS = 500;

  public RollAllScenario(Profile profile) {
    super(profile, "roll-all", "rolling update of all " + workers(profile) + " workers one by one (SIGTERM, same id "
        + "again at once; one hosts the leader)", "30–150 s, 0 rebalances; ~7 s pause per defender",
        "static membership: 0 rebalances, 0.1–0.7 s pause; without: 64–128 rebalances, 3–5 s pause per step",
        "0 home changes, 0 lost, 0 SLA breaches");
  }

  private static int workers(Profile profile) {
    return profile.benchmark() ? 4 : 2;
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(profile().benchmark() ? 2 : 1).withWorkerSlots(workers(profile()));
  }

  /** One restart: SIGTERM sent, live again on its new node, cluster settled again. */
  private record Step(String defender, long stoppedAt, long backAt, long settledAt, Set<ChamberKey> homes) {
    long restartMillis() {
      return backAt - stoppedAt;
    }
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    List<String> defenders = defenders(workers(profile()));
    startClusterLeaderOnWorker(cluster, chambers, defenders);
    try (Load load = Load.start(cluster, chambers, rate());
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      AssignmentView before = awaitServing(cluster, load);
      result.detail("leader on", cluster.api().cluster().defenderOnLeaderNode().orElse("?"));
      long rollStart = System.currentTimeMillis();
      List<Step> steps = new ArrayList<>();
      for (String defender : defenders) {
        steps.add(restart(cluster, defender, chambersOf(before, defender), Set.copyOf(defenders), result));
        load.awaitTraffic(2);
      }
      long rollEnd = System.currentTimeMillis();
      AssignmentView after = homes(cluster);

      Load.Outcome outcome = load.audit(cluster, result);
      Set<ChamberKey> moved = recordMovement(result, outcome, before, after, rollStart, rollEnd, timeline).moved();
      result.invariant("a rolling update with the same ids changes no chamber's home", moved.isEmpty(),
          moved.size() + " homes changed: " + moved);
      reportSteps(result, outcome.latencies(), steps);
      slaTarget(result, outcome.latencies());
    }
  }

  private static void reportSteps(ScenarioResult result, Latencies latencies, List<Step> steps) {
    Map<String, String> perStep = new LinkedHashMap<>();
    boolean withinRestart = true;
    for (Step step : steps) {
      LatencySummary own = latencies.summary(ofChambers(step.homes())
          .and(Latencies.sentBetween(step.stoppedAt(), step.settledAt())));
      LatencySummary all = latencies.summary(Latencies.sentBetween(step.stoppedAt(), step.settledAt()));
      perStep.put(step.defender(), "restart " + step.restartMillis() + " ms, longest wait " + own.max() + " ms, "
          + all.breaches() + " breaches");
      result.recovery(step.defender(), "restart " + step.restartMillis() + " ms / longest wait " + own.max() + " ms");
      withinRestart &= own.max() <= step.restartMillis() + PAUSE_ALLOWANCE_MILLIS;
    }
    result.detail("per step", perStep);
    result.target("no event of a restarting defender's chambers waited longer than its restart + "
        + PAUSE_ALLOWANCE_MILLIS + " ms", withinRestart, perStep.toString());
  }

  private static Step restart(ProcessCluster cluster, String defender, Set<ChamberKey> homes, Set<String> all,
      ScenarioResult result) {
    NodeProcess worker = cluster.worker(defender);
    String oldNode = cluster.api().cluster().defenders().get(defender).node();
    long stoppedAt = System.currentTimeMillis();
    worker.terminate();
    int exit = worker.awaitExit(seconds(40));
    result.invariant(defender + " stopped gracefully on SIGTERM", exit == NodeProcess.EXIT_SIGTERM, "exit code " + exit);
    worker.restart();
    Await.until(defender + " live again on a new node", seconds(90), () -> {
      ClusterView.Defender view = cluster.api().cluster().defenders().get(defender);
      return view != null && "LIVE".equals(view.status()) && view.node() != null && !view.node().equals(oldNode);
    });
    long backAt = System.currentTimeMillis();
    cluster.awaitSettled(all, seconds(90));
    AssignmentView now = homes(cluster);
    Set<ChamberKey> movedSoFar = Movement.moved(Map.copyOf(ownersOf(homes, defender)), now.owners());
    result.detail(defender + " step", "homes changed so far among its " + homes.size() + " chambers: " + movedSoFar.size());
    return new Step(defender, stoppedAt, backAt, System.currentTimeMillis(), homes);
  }

  private static Map<ChamberKey, String> ownersOf(Set<ChamberKey> chambers, String defender) {
    Map<ChamberKey, String> owners = new LinkedHashMap<>();
    chambers.forEach(chamber -> owners.put(chamber, defender));
    return owners;
  }
}
