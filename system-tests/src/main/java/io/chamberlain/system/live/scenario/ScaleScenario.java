package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scale out and in on real processes under steady load (20 events/s over 30 chambers): 3 → 6
 * workers (three JVMs started at once), then 6 → 2 the operator's way: four drained at once (their
 * chambers move while they still run), then stopped with SIGTERM (each leaves gracefully).
 *
 * <p>Checked: every event exactly one verdict, order, exclusive ownership across every handover;
 * the cluster settles after each step; hardly any chamber moves between two defenders that are there
 * before and after a step (minimal movement); stopped workers exit on their own. Measured: time to
 * settle per step, chambers moved per step.
 */
public final class ScaleScenario extends LiveScenario {

  private static final List<String> INITIAL = List.of("defender-1", "defender-2", "defender-3");
  private static final List<String> ADDED = List.of("defender-4", "defender-5", "defender-6");
  private static final List<String> STOPPED = List.of("defender-1", "defender-2", "defender-4", "defender-5");
  private static final Set<String> REMAINING = Set.of("defender-3", "defender-6");

  public ScaleScenario() {
    super("scale", "3 → 6 workers (started at once), then 6 → 2 (drain 4, SIGTERM them)",
        "32 s", "balanced ≤ 5 s after the change, minimal movement");
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withWorkerSlots(6);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, INITIAL);
    try (Load load = Load.start(cluster, chambers, EVENTS_PER_SECOND)) {
      load.awaitTraffic(3);
      long scaledOutAt = System.currentTimeMillis();
      ADDED.forEach(cluster::startWorker);
      cluster.awaitSettled(union(INITIAL, ADDED), seconds(120));
      long outSettled = System.currentTimeMillis() - scaledOutAt;
      load.awaitTraffic(3);

      long scaledInAt = System.currentTimeMillis();
      STOPPED.forEach(id -> cluster.api().drain(id));
      cluster.awaitSettled(REMAINING, seconds(60));
      long drained = System.currentTimeMillis() - scaledInAt;
      STOPPED.forEach(id -> cluster.worker(id).terminate());
      for (String id : STOPPED) {
        int exit = cluster.worker(id).awaitExit(seconds(40));
        result.check(id + " exited on SIGTERM after its drain", exit == NodeProcess.EXIT_SIGTERM, "exit code " + exit);
      }
      cluster.awaitSettled(REMAINING, seconds(60));
      load.awaitTraffic(5);
      result.measure(ScenarioResult.Column.SETTLED, drained, "(6 → 2 drained; 3 → 6 settled after " + outSettled
          + " ms incl. JVM start-up)");

      AuditReport report = load.audit(cluster, result);
      List<AuditReport.Handover> out = report.handovers(scaledOutAt, scaledInAt);
      List<AuditReport.Handover> in = report.handovers(scaledInAt, Long.MAX_VALUE);
      result.measure(ScenarioResult.Column.MOVED, out.size() + in.size(), "(" + out.size() + " out, " + in.size() + " in)");
      checkMinimal(result, "scale-out", out, Set.copyOf(INITIAL));
      checkMinimal(result, "scale-in", in, REMAINING);
    }
  }

  /**
   * Minimal movement, seen from outside: a chamber moves to a new defender or away from a leaving
   * one, hardly ever between two that stay — the engine may spend up to 10 % more movement than the
   * minimum (its 1.1 × bound), no more.
   */
  private static void checkMinimal(ScenarioResult result, String step, List<AuditReport.Handover> handovers,
      Set<String> stayed) {
    List<AuditReport.Handover> between = betweenStayers(handovers, stayed);
    result.check(step + ": at most 10 % of the moves between defenders there before and after",
        between.size() <= handovers.size() / 10, between.size() + " of " + handovers.size() + ": " + between);
  }

  private static List<AuditReport.Handover> betweenStayers(List<AuditReport.Handover> handovers, Set<String> stayed) {
    return handovers.stream().filter(h -> stayed.contains(h.from()) && stayed.contains(h.to())).toList();
  }

  private static Set<String> union(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).collect(Collectors.toSet());
  }
}
