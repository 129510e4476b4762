package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Issue 8's freezes, under the standard load (2 gateways, 4 workers, product defaults): SIGSTOP of a
 * worker that does not run the leader, for {@link #LONG} or {@link #SHORT}, then SIGCONT.
 *
 * <ul>
 *   <li>{@code freeze-12s} — a hung host. Reported: freeze → the leader's view shows its chambers
 *       reassigned, and the worst wait of its chambers' first events judged elsewhere (verdict minus
 *       the later of the freeze and the event's send). Targets: that wait ≤ 3 s (DESIGN.md: "processing
 *       elsewhere ≤ 3 s"); every one of its chambers judged elsewhere while it was frozen (a timing:
 *       detection must beat the freeze); 0 SLA breaches.
 *   <li>{@code freeze-1.5s} — a stop-the-world pause. Targets (both depend on timing): nothing
 *       changes home, nothing is leased; 0 SLA breaches.
 * </ul>
 * Invariants of both: the audit (exactly once, order, exclusive ownership across the wake-up); the
 * frozen worker survives the short pause and, after the long one, halts itself on waking (the cluster
 * dropped it; {@code PauseDetector}) and runs again once restarted; the cluster settles again with
 * every chamber owned.
 */
public final class FreezeScenario extends LiveScenario {

  static final Duration LONG = Duration.ofSeconds(12);
  static final Duration SHORT = Duration.ofMillis(1_500);
  private static final long ELSEWHERE_TARGET_MILLIS = 3_000;
  private static final List<String> DEFENDERS = defenders(4);

  private final Duration frozenFor;

  private FreezeScenario(Profile profile, Duration frozenFor, String name, String target) {
    super(profile, name, "SIGSTOP of a worker (not the leader's node) for " + frozenFor.toMillis() / 1000.0
        + " s, then SIGCONT; 4 workers", "8 s", "session timeout, as a crash: 46 s default, 5.2–7.2 s with a 6 s session",
        target);
    this.frozenFor = frozenFor;
  }

  public static FreezeScenario twelveSeconds(Profile profile) {
    return new FreezeScenario(profile, LONG, "freeze-12s", "processing elsewhere ≤ 3 s, fenced if it wakes");
  }

  public static FreezeScenario oneAndAHalfSeconds(Profile profile) {
    return new FreezeScenario(profile, SHORT, "freeze-1.5s", "a 1.5 s pause moves nothing");
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
    String frozenId = DEFENDERS.stream().filter(id -> !start.defenderOnLeaderNode().map(id::equals).orElse(false))
        .reduce((first, second) -> second).orElseThrow();
    Set<String> others = new TreeSet<>(DEFENDERS);
    others.remove(frozenId);
    NodeProcess frozen = cluster.worker(frozenId);
    try (Load load = Load.start(cluster, chambers, rate());
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      AssignmentView before = awaitServing(cluster, load);
      Set<ChamberKey> owned = chambersOf(before, frozenId);
      result.detail("frozen", frozenId + " (" + owned.size() + " chambers; leader on "
          + start.defenderOnLeaderNode().orElse("a gateway") + ")");
      long frozenAt = System.currentTimeMillis();
      frozen.freeze();
      Thread.sleep(frozenFor.toMillis()); // the freeze's length, not synchronisation
      long thawedAt = System.currentTimeMillis();
      thaw(frozen, frozenFor, result);
      load.awaitTraffic(10);
      cluster.awaitSettled("the others, with or without " + frozenId, view -> view.settledAmong(others,
          Set.copyOf(DEFENDERS)), seconds(90));
      AssignmentView after = homes(cluster);
      result.invariant(frozenId + (frozenFor.compareTo(NODE_PAUSE_LIMIT) > 0 ? " running again after its restart"
          : " survived its freeze"), frozen.isAlive(), "it exited");

      Load.Outcome outcome = load.audit(cluster, result);
      Changes changes = recordMovement(result, outcome, before, after, frozenAt, Long.MAX_VALUE, timeline);
      if (frozenFor.equals(LONG)) {
        reportLongFreeze(result, outcome, timeline, frozenId, owned, frozenAt, thawedAt);
      } else {
        result.target("a " + frozenFor.toMillis() + " ms pause changes no chamber's home", changes.moved().isEmpty(),
            changes.moved().size() + " moved: " + changes.moved());
        result.target("a " + frozenFor.toMillis() + " ms pause leases nothing", changes.leased().isEmpty(),
            changes.leased().size() + " leased: " + changes.leased());
      }
      slaTarget(result, outcome.latencies());
      slaTarget(result, outcome.latencies(), "the frozen worker's chambers", ofChambers(owned));
    }
  }

  private static void reportLongFreeze(ScenarioResult result, Load.Outcome outcome, ClusterTimeline timeline,
      String frozenId, Set<ChamberKey> owned, long frozenAt, long thawedAt) {
    long reassigned = Recoveries.reassignedAfter(timeline, frozenId, frozenAt);
    Map<ChamberKey, Long> waits = Recoveries.of(outcome.report(), owned, frozenId, frozenAt);
    long worst = waits.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    long judgedWhileFrozen = owned.stream().filter(chamber -> outcome.report().firstVerdictAfter(chamber, frozenAt,
        frozenId).map(v -> v.publishedAt() < thawedAt).orElse(false)).count();
    result.recovery("reassigned", reassigned + " ms after the freeze");
    result.recovery("worst first verdict elsewhere", worst + " ms after the freeze or the event");
    result.detail("first event of each frozen chamber judged elsewhere: wait (ms)", waits);
    result.target("every chamber of the frozen worker judged elsewhere while it was frozen",
        judgedWhileFrozen == owned.size(), judgedWhileFrozen + " of " + owned.size());
    result.target("its chambers processed elsewhere within " + ELSEWHERE_TARGET_MILLIS + " ms of the freeze",
        worst >= 0 && worst <= ELSEWHERE_TARGET_MILLIS, "worst wait " + worst + " ms, reassigned after " + reassigned + " ms");
    result.detail("latency of events sent while frozen",
        outcome.latencies().summary(Latencies.sentBetween(frozenAt, thawedAt)).shortText());
  }
}
