package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderTuning;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cold start on real processes: the gateway is up and the collector already publishing (the
 * profile's standard load) before any defender exists; then {@link #WORKERS} worker JVMs start — all
 * at once, or one per second. Events published while nothing is owned wait in JetStream.
 *
 * <p>Invariants: every event exactly one verdict, order, exclusive ownership; every chamber owned at
 * the end (the cluster settles on all of them, or the run aborts); at most {@link #MAX_ROUNDS}
 * assignment rounds plus one per join ({@link #WORKERS}) — the slack a loaded 2-core machine needs,
 * where JVM start-up jitter alone can space the joins past the leader's settle quiet (the CI flake
 * of issue 8: "5 epochs, 1 late joins" against a bound of 4). Targets: every chamber owned ≤ 1 s
 * after the first defender is ready; ≤ 3 rounds plus one per join that came after a quiet period;
 * no SLA breach among events sent after the first defender was ready.
 */
public final class ColdStartScenario extends LiveScenario {

  private static final int WORKERS = 5;
  /** DESIGN.md's "≤ 3 assignment rounds". */
  private static final int MAX_ROUNDS = 3;

  private final boolean staggered;

  private ColdStartScenario(Profile profile, boolean staggered) {
    super(profile, staggered ? "cold-start-staggered" : "cold-start-together",
        "0 → " + WORKERS + " workers, " + (staggered ? "one start per second" : "all started at once")
            + ", collector already publishing",
        "31 s, 1 assignment",
        "classic: nothing processed until 5 s after the last join (67 s for 64); KIP-848: 65 epochs, 152 moves",
        "owned ≤ 1 s after the first is ready, ≤ 3 rounds");
    this.staggered = staggered;
  }

  /** Five workers started one per second (the reference design's rollout). */
  public static ColdStartScenario staggered(Profile profile) {
    return new ColdStartScenario(profile, true);
  }

  /** Five workers started at the same time. */
  public static ColdStartScenario together(Profile profile) {
    return new ColdStartScenario(profile, false);
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(WORKERS);
  }

  /**
   * Joins (first appearance in the leader's view) that came more than the leader's settle quiet
   * after the previous one: the cold start is over by then, and a later join is a scale-up with a
   * round of its own — by design.
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
    try (Load load = Load.start(cluster, chambers, rate());
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
      result.invariant("every chamber owned at the end, by the " + WORKERS + " defenders", settled.settledOn(defenders),
          "last view " + settled);
      load.awaitTraffic(3);

      long firstReadyAt = timeline.first(firstStartAt, view -> !view.chambersByDefender().isEmpty())
          .orElseThrow(() -> new IllegalStateException("the timeline never saw a defender")).at();
      long allOwnedAt = timeline.first(firstStartAt, view -> view.unownedChambers() == 0
          && !view.chambersByDefender().isEmpty()).orElseThrow().at();
      long settledAt = timeline.first(firstStartAt, view -> view.settledOn(defenders))
          .map(ClusterTimeline.Sample::at).orElse(System.currentTimeMillis());
      result.detail("first start → first defender ready (JVM start-up, ms)", firstReadyAt - firstStartAt);
      result.recovery("all owned", (allOwnedAt - firstReadyAt) + " ms after the first was ready");
      result.recovery("settled", (settledAt - lastStartAt) + " ms after the last start");
      result.recovery("assignment rounds", Long.toString(settled.epoch()));
      result.target("all chambers owned within 1 s of the first defender (+ one 100 ms sample)",
          allOwnedAt - firstReadyAt <= 1_100, "took " + (allOwnedAt - firstReadyAt) + " ms");
      int lateJoins = joinsAfterQuiet(timeline, firstStartAt, defenders);
      result.detail("joins that came after the leader's settle quiet (each may cost a scaling round)", lateJoins);
      result.target("at most " + MAX_ROUNDS + " assignment rounds, plus one per join after a quiet period",
          settled.epoch() <= MAX_ROUNDS + lateJoins, settled.epoch() + " epochs, " + lateJoins + " late joins");
      result.invariant("at most " + MAX_ROUNDS + " assignment rounds plus one per join (" + WORKERS
          + " joins; slack for a loaded machine)", settled.epoch() <= MAX_ROUNDS + WORKERS, settled.epoch() + " epochs");

      Load.Outcome outcome = load.audit(cluster, result);
      result.measure(ScenarioResult.Column.MOVED, outcome.report().movedChambers().size(),
          "(verdicts by more than one defender while they joined)");
      slaTarget(result, outcome.latencies(), "events sent after the first defender was ready",
          Latencies.sentBetween(firstReadyAt, Long.MAX_VALUE));
    }
  }
}
