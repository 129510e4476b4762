package io.chamberlain.system.live.scenario;

import io.chamberlain.testkit.TestTimeouts;
import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderTuning;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.ProcessCluster;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cold start on real processes: the gateway is up and the collector already publishing (20 events/s
 * over 30 chambers) before any defender exists; then {@link #WORKERS} worker JVMs start — all at
 * once, or one per second. Events published while nothing is owned wait in JetStream.
 *
 * <p>Checked: every event exactly one verdict, order, exclusive ownership; every chamber owned
 * soon after the first defender is ready; the cluster settles on all of them in few assignment
 * rounds. Measured (from {@code /api/cluster}, sampled every 100 ms): first ready → all owned
 * (target ≤ 1 s), last start → settled (the JVMs' own start-up included), assignments published.
 */
public final class ColdStartScenario extends LiveScenario {

  private static final int WORKERS = 5;
  /** Bound on the epochs a cold start publishes: DESIGN.md's "≤ 3 rounds". */
  private static final int MAX_ROUNDS = 3;

  private final boolean staggered;

  private ColdStartScenario(boolean staggered) {
    super(staggered ? "cold-start-staggered" : "cold-start-together",
        "0 → " + WORKERS + " workers, " + (staggered ? "one start per second" : "all started at once")
            + ", collector already publishing",
        "31 s, 1 assignment", "owned ≤ 1 s after the first is ready, ≤ 3 rounds");
    this.staggered = staggered;
  }

  /** Five workers started one per second (the reference design's rollout). */
  public static ColdStartScenario staggered() {
    return new ColdStartScenario(true);
  }

  /** Five workers started at the same time. */
  public static ColdStartScenario together() {
    return new ColdStartScenario(false);
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withWorkerSlots(WORKERS);
  }

  /**
   * Joins (first appearance in the leader's view) that came more than the leader's settle quiet
   * after the previous one: the cold start is over by then, and a later join is a scale-up with a
   * round of its own — by design. On a 2-core machine starting JVMs one per second, start-up jitter
   * alone makes such gaps.
   */
  private static int joinsAfterQuiet(ClusterTimeline timeline, long since, Set<String> defenders) {
    List<Long> joins = defenders.stream()
        .map(id -> timeline.first(since, view -> view.defenders().containsKey(id)).map(ClusterTimeline.Sample::at))
        .flatMap(java.util.Optional::stream).sorted().toList();
    long quiet = LeaderTuning.DEFAULT_SETTLE_QUIET_MILLIS - ClusterTimeline.INTERVAL_MILLIS;
    int late = 0;
    for (int i = 1; i < joins.size(); i++) {
      late += joins.get(i) - joins.get(i - 1) > quiet ? 1 : 0;
    }
    return late;
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws InterruptedException {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, List.of());
    Set<String> defenders = new LinkedHashSet<>();
    try (Load load = Load.start(cluster, chambers, EVENTS_PER_SECOND);
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      long firstStartAt = System.currentTimeMillis();
      for (int i = 1; i <= WORKERS; i++) {
        if (staggered && i > 1) {
          Thread.sleep(1_000); // the scenario's pacing (one start per second), not synchronisation
        }
        defenders.add("defender-" + i);
        cluster.startWorker("defender-" + i);
      }
      long lastStartAt = System.currentTimeMillis();
      ClusterView settled = cluster.awaitSettled(defenders, seconds(120));
      load.awaitTraffic(3);

      long firstReadyAt = timeline.first(firstStartAt, view -> !view.chambersByDefender().isEmpty())
          .orElseThrow(() -> new IllegalStateException("the timeline never saw a defender")).at();
      long allOwnedAt = timeline.first(firstStartAt, view -> view.unownedChambers() == 0
          && !view.chambersByDefender().isEmpty()).orElseThrow().at();
      long settledAt = timeline.first(firstStartAt, view -> view.settledOn(defenders))
          .map(ClusterTimeline.Sample::at).orElse(System.currentTimeMillis());
      result.detail("first start → first defender ready (JVM start-up, ms)", firstReadyAt - firstStartAt);
      result.measure(ScenarioResult.Column.ALL_OWNED, allOwnedAt - firstReadyAt, "(first ready → all owned)");
      result.measure(ScenarioResult.Column.SETTLED, settledAt - lastStartAt, "(last start → settled on " + WORKERS + ")");
      result.detail("assignments published", settled.epoch());
      result.check("all chambers owned within 1 s of the first defender (+ one 100 ms sample)",
          allOwnedAt - firstReadyAt <= Duration.ofMillis(1_100).toMillis() * (long) Math.ceil(
              io.chamberlain.testkit.TestTimeouts.FACTOR), "took " + (allOwnedAt - firstReadyAt) + " ms");
      int lateJoins = joinsAfterQuiet(timeline, firstStartAt, defenders);
      result.detail("joins that came after the leader's settle quiet (each may cost a scaling round)", lateJoins);
      result.check("at most " + MAX_ROUNDS + " assignment rounds, plus one per join after a quiet period",
          settled.epoch() <= MAX_ROUNDS + lateJoins, settled.epoch() + " epochs, " + lateJoins + " late joins");

      AuditReport report = load.audit(cluster, result);
      result.measure(ScenarioResult.Column.MOVED, report.movedChambers().size(), "(while defenders joined)");
      result.detail("max latency of events completed after settling (ms)", report.maxLatencyMillisSince(settledAt));
    }
  }
}
