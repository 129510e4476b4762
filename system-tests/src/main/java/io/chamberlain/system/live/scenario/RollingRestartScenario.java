package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rolling restart of every worker, one by one, same ids, under steady load (20 events/s over 30
 * chambers): SIGTERM (the worker announces the restart, finishes its events in flight, leaves),
 * then the same defender id starts again. The gateway does not lead, so one of the restarts is the
 * leader's own node: the next leader must keep holding the restart it did not see announced.
 *
 * <p>Checked: zero chambers moved, every event exactly one verdict in order, and no event of a
 * restarting defender waited longer than that defender's restart (SIGTERM → back, live, on its new
 * node) plus {@link #PAUSE_ALLOWANCE_MILLIS}.
 */
public final class RollingRestartScenario extends LiveScenario {

  private static final List<String> DEFENDERS = List.of("defender-1", "defender-2", "defender-3");
  /** DESIGN.md: "a chamber paused no longer than its defender's restart + 0.5 s". */
  static final long PAUSE_ALLOWANCE_MILLIS = 500;

  public RollingRestartScenario() {
    super("rolling-restart", "SIGTERM + restart of each of 3 workers, same ids (one hosts the leader)",
        "30–150 s, 0 rebalances", "0 moved, pause ≤ restart + 0.5 s");
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withWorkerSlots(3).withLeaderOnWorkersOnly();
  }

  /** One restart: when SIGTERM was sent and when the defender was live again on its new node. */
  private record Step(String defender, long stoppedAt, long backAt) {
    long restartMillis() {
      return backAt - stoppedAt;
    }
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    try (Load load = Load.start(cluster, chambers, EVENTS_PER_SECOND)) {
      load.awaitTraffic(3);
      long rollStart = System.currentTimeMillis();
      List<Step> steps = new ArrayList<>();
      for (String defender : DEFENDERS) {
        steps.add(restart(cluster, defender, result));
        load.awaitTraffic(2);
      }
      long rollEnd = System.currentTimeMillis();
      AuditReport report = load.audit(cluster, result);
      result.measure(ScenarioResult.Column.MOVED, report.handovers(rollStart, rollEnd).size());
      result.check("a rolling restart with the same ids moves no chamber", report.handovers(rollStart, rollEnd).isEmpty(),
          "handovers " + report.handovers(rollStart, rollEnd));
      Map<String, String> pauses = new LinkedHashMap<>();
      boolean withinRestart = true;
      for (Step step : steps) {
        long worst = report.maxLatencyMillis(step.defender(), step.stoppedAt(), step.backAt());
        pauses.put(step.defender(), "restart " + step.restartMillis() + " ms, longest wait of its events " + worst + " ms");
        withinRestart &= worst <= step.restartMillis() + PAUSE_ALLOWANCE_MILLIS;
      }
      result.detail("per step", pauses);
      result.check("no event waited longer than its defender's restart + " + PAUSE_ALLOWANCE_MILLIS + " ms", withinRestart,
          pauses.toString());
    }
  }

  private static Step restart(ProcessCluster cluster, String defender, ScenarioResult result) {
    NodeProcess worker = cluster.worker(defender);
    String oldNode = cluster.api().cluster().defenders().get(defender).node();
    long stoppedAt = System.currentTimeMillis();
    worker.terminate();
    int exit = worker.awaitExit(seconds(40));
    result.check(defender + " stopped gracefully on SIGTERM", exit == NodeProcess.EXIT_SIGTERM, "exit code " + exit);
    worker.restart();
    Await.until(defender + " live again on a new node", seconds(60), () -> {
      ClusterView.Defender view = cluster.api().cluster().defenders().get(defender);
      return view != null && "LIVE".equals(view.status()) && view.node() != null && !view.node().equals(oldNode);
    });
    long backAt = System.currentTimeMillis();
    cluster.awaitSettled(Set.copyOf(DEFENDERS), seconds(60));
    return new Step(defender, stoppedAt, backAt);
  }
}
