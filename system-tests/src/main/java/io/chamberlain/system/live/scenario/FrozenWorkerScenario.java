package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A hung defender (SIGSTOP: alive, sockets open, silent) under the standard load (1 gateway, 3
 * workers), frozen for {@link #FROZEN_FOR} — longer than the leader's default defender timeout (5 s),
 * Hazelcast's member timeout (5 s) and the gateway's request timeout (10 s) — then thawed (SIGCONT).
 * It wakes up holding its chamber verticles, an old assignment, possibly an event in flight, and a
 * view in which every other member is gone: the dangerous moment for exclusive ownership and for
 * leadership. Two variants: a defender that does not lead, and the defender whose node runs the
 * leader (put there by starting the workers first).
 *
 * <p>Invariants: every event exactly one verdict, per-chamber order, exclusive ownership across the
 * freeze and the wake-up; waking, it halts itself ({@code PauseDetector}: the cluster has dropped it)
 * and is started again, as its supervisor would; its chambers are processed again by others; a frozen leader
 * is replaced in a newer term while frozen (a frozen follower changes no term); waking up, its node
 * does not lead again; after the thaw only chambers handed to it as new capacity move — unless the
 * cluster lost a healthy member meanwhile (a target then, with the evidence). Targets: its chambers served again within
 * the detection time plus {@link #RECOVERY_ALLOWANCE}; events sent after the thaw wait at most
 * {@link #AFTER_THAW_LATENCY}; the term stays put after the thaw; no SLA breach. {@link FreezeScenario} plays the freezes of issue 8.
 */
public final class FrozenWorkerScenario extends LiveScenario {

  private static final List<String> DEFENDERS = List.of("defender-1", "defender-2", "defender-3");
  private static final Duration FROZEN_FOR = Duration.ofSeconds(15);
  private static final Duration RECOVERY_ALLOWANCE = Duration.ofSeconds(3);
  /** Hazelcast drops a silent member after 5 s (cluster.xml); then the lock is released and a new leader elected. */
  private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration AFTER_THAW_LATENCY = Duration.ofSeconds(2);
  /** The benchmark's traffic after the thaw, before the audit. */
  private static final Duration AFTER_THAW_WINDOW = Duration.ofSeconds(15);

  private final boolean freezeLeader;

  private FrozenWorkerScenario(Profile profile, boolean freezeLeader) {
    super(profile, freezeLeader ? "frozen-leader" : "frozen-worker",
        "SIGSTOP for " + FROZEN_FOR.toSeconds() + " s, then SIGCONT, of " + (freezeLeader
            ? "the worker whose node runs the leader" : "1 of 3 workers (not the leader's node)"),
        "8 s", "session timeout, as a crash",
        freezeLeader ? "new leader, old one fenced when it wakes" : "elsewhere ≤ 3 s, fenced when it wakes");
    this.freezeLeader = freezeLeader;
  }

  /** A defender that does not lead is frozen. */
  public static FrozenWorkerScenario follower(Profile profile) {
    return new FrozenWorkerScenario(profile, false);
  }

  /** The defender whose node runs the leader is frozen. */
  public static FrozenWorkerScenario leader(Profile profile) {
    return new FrozenWorkerScenario(profile, true);
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(3);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws InterruptedException {
    List<ChamberKey> chambers = chambers();
    if (freezeLeader) {
      startClusterLeaderOnWorker(cluster, chambers, DEFENDERS);
    } else {
      startCluster(cluster, chambers, DEFENDERS);
    }
    ClusterView before = cluster.api().cluster();
    String frozenId = freezeLeader
        ? before.defenderOnLeaderNode().orElseThrow(() -> new IllegalStateException("no defender runs the leader"))
        : DEFENDERS.stream().filter(id -> !before.defenderOnLeaderNode().map(id::equals).orElse(false))
            .findFirst().orElseThrow();
    Set<String> others = new LinkedHashSet<>(DEFENDERS);
    others.remove(frozenId);
    NodeProcess frozen = cluster.worker(frozenId);
    try (Load load = Load.start(cluster, chambers, rate());
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      AssignmentView homesBefore = awaitServing(cluster, load);
      Set<ChamberKey> owned = chambersOf(homesBefore, frozenId);
      long frozenAt = System.currentTimeMillis();
      frozen.freeze();
      // The others own every chamber. Not "each of them": on a loaded machine Hazelcast may drop a
      // healthy member too (its heartbeats late while the frozen one is being removed); its chambers
      // then rightly move as well, and the claims below turn that into evidence, not a broken wait.
      // The term from the settled view itself: until Hazelcast drops the frozen node, a status request
      // may be routed to the frozen leader's handler and time out — a poll retries, a lone call would not.
      long termWhileFrozen = cluster.awaitSettled("the chambers of " + frozenId + " owned by " + others,
          view -> view.settledAmong(Set.of(), others), seconds(60)).term();
      Thread.sleep(Math.max(0, frozenAt + FROZEN_FOR.toMillis() - System.currentTimeMillis())); // the freeze's length
      long thawedAt = System.currentTimeMillis();
      thaw(frozen, FROZEN_FOR, result);
      awaitAfterThaw(cluster, load, frozenId, result);
      result.detail(frozenId + " back in the view after the thaw (ms)", timeline.first(thawedAt,
          view -> view.chambersByDefender().containsKey(frozenId)).map(s -> s.at() - thawedAt).orElse(-1L));
      result.invariant(frozenId + " running again after its restart", frozen.isAlive(), "it exited");
      checkLeadership(result, timeline, before, termWhileFrozen, thawedAt, before.defenders().get(frozenId).node());
      AssignmentView homesAfter = homes(cluster);

      Load.Outcome outcome = load.audit(cluster, result);
      AuditReport report = outcome.report();
      List<AuditReport.Handover> afterThaw = report.handovers(thawedAt, Long.MAX_VALUE);
      recordMovement(result, outcome, homesBefore, homesAfter, frozenAt, Long.MAX_VALUE, timeline);
      result.detail("handovers", report.handovers(frozenAt, thawedAt).size() + " while frozen (" + frozenId + " owned "
          + owned.size() + "), " + afterThaw.size() + " back after the thaw");
      checkOnlyFrozenRegainsChambers(result, timeline, frozenId, others, owned, frozenAt, thawedAt, termWhileFrozen,
          afterThaw);
      LatencySummary late = outcome.latencies().summary(Latencies.sentBetween(thawedAt, Long.MAX_VALUE));
      result.target("events sent after the thaw waited at most " + AFTER_THAW_LATENCY.toMillis() + " ms",
          late.max() <= AFTER_THAW_LATENCY.toMillis(), late.shortText());
      Duration detection = freezeLeader ? MEMBER_TIMEOUT : WorkerCrashScenario.HEARTBEAT_TIMEOUT;
      Recoveries.record(result, Recoveries.reassignedAfter(timeline, frozenId, frozenAt),
          Recoveries.of(report, owned, frozenId, frozenAt), detection.plus(RECOVERY_ALLOWANCE).toMillis(),
          (freezeLeader ? "member timeout " : "silence timeout ") + detection.toMillis() + " ms + "
              + RECOVERY_ALLOWANCE.toMillis() + " ms");
      slaTarget(result, outcome.latencies());
    }
  }

  /**
   * The window after the thaw. The benchmark: {@link #AFTER_THAW_WINDOW} of traffic. A test: until the
   * restarted defender is back in the leader's view and the cluster settled with it — its chambers
   * handed back, the moment it could try to lead again — then {@link Profile#testWindowRounds()} rounds,
   * every chamber served by its home after that. If it is not back within the benchmark's window the
   * rounds follow anyway and the checks judge what happened, as they would after the benchmark's window.
   */
  private void awaitAfterThaw(ProcessCluster cluster, Load load, String frozenId, ScenarioResult result) {
    if (profile().benchmark()) {
      load.awaitTraffic(AFTER_THAW_WINDOW.toSeconds());
      return;
    }
    try {
      cluster.awaitSettled(frozenId + " back among " + DEFENDERS,
          view -> view.settledAmong(Set.of(frozenId), Set.copyOf(DEFENDERS)), seconds(AFTER_THAW_WINDOW.toSeconds()));
    } catch (Await.TimeoutException notBack) {
      result.detail(frozenId + " not back and settled within " + AFTER_THAW_WINDOW.toSeconds() + " s",
          notBack.getMessage());
    }
    load.awaitRounds(Profile.testWindowRounds());
  }

  /**
   * After the thaw only the thawed defender gains chambers (it is new capacity) — a claim about this
   * one change. If the cluster meanwhile lost another defender too (on a loaded machine Hazelcast
   * can drop a healthy member whose heartbeats were late — seen as a defender declared dead, or as a
   * new leader elected after the thaw: the cluster lost its leader's quorum), its chambers rightly move
   * as well: the claim is then shown as a missed target with that evidence, not a broken invariant.
   */
  private static void checkOnlyFrozenRegainsChambers(ScenarioResult result, ClusterTimeline timeline, String frozenId,
      Set<String> others, Set<ChamberKey> owned, long frozenAt, long thawedAt, long termWhileFrozen,
      List<AuditReport.Handover> afterThaw) {
    String what = "after the thaw only chambers handed to " + frozenId + " (new capacity) moved";
    boolean held = afterThaw.stream().allMatch(h -> h.to().equals(frozenId)) && afterThaw.size() <= owned.size() + 1;
    Optional<String> otherLost = timeline.samples().stream().filter(sample -> sample.at() >= frozenAt)
        .flatMap(sample -> others.stream().filter(id -> sample.view().isDead(id))
            .map(id -> id + " declared dead " + (sample.at() - frozenAt) + " ms after the freeze"))
        .findFirst()
        .or(() -> reelectedAfterThaw(timeline, termWhileFrozen, thawedAt));
    if (otherLost.isPresent()) {
      result.target(what, held, otherLost.get() + "; handovers " + afterThaw);
    } else {
      result.invariant(what, held, "handovers " + afterThaw);
    }
  }

  /** A leader elected after the thaw in a term newer than the takeover's: the cluster re-formed. */
  private static Optional<String> reelectedAfterThaw(ClusterTimeline timeline, long termWhileFrozen, long thawedAt) {
    return timeline.samples().stream().filter(s -> s.at() >= thawedAt && s.view().term() > termWhileFrozen)
        .map(s -> "the cluster elected a leader again after the thaw (term " + s.view().term() + ", "
            + (s.at() - thawedAt) + " ms after it): a healthy member was dropped")
        .findFirst();
  }

  /**
   * Waking up, the frozen node must not lead again: no view after the thaw names its node leader in a
   * term newer than the one it held (a view it answers with its old term, before it notices it was
   * deposed, is stale, not leadership: its writes are fenced). A frozen leader is replaced while it is
   * frozen, in a newer term; a frozen follower changes no term. That the term then stays put is a
   * target: on a loaded machine Hazelcast may drop a healthy member too, and a re-election elsewhere
   * is then the right answer, not a fault of the thawed node.
   */
  private void checkLeadership(ScenarioResult result, ClusterTimeline timeline, ClusterView before, long termWhileFrozen,
      long thawedAt, String frozenNode) {
    List<ClusterTimeline.Sample> afterThaw = timeline.samples().stream().filter(s -> s.at() >= thawedAt).toList();
    Optional<String> ledAgain = afterThaw.stream()
        .filter(s -> frozenNode.equals(s.view().leaderNode()) && s.view().term() > before.term())
        .map(s -> "its node led term " + s.view().term() + " " + (s.at() - thawedAt) + " ms after the thaw").findFirst();
    String terms = "terms after the thaw " + afterThaw.stream().map(s -> s.view().term()).distinct().toList();
    if (freezeLeader) {
      result.invariant("a new leader took over in a newer term while the old one was frozen",
          termWhileFrozen > before.term(), "term " + before.term() + " → " + termWhileFrozen);
    } else {
      result.invariant("while the follower was frozen the term never changed", termWhileFrozen == before.term(),
          "term " + before.term() + " → " + termWhileFrozen);
    }
    result.invariant("waking up, the frozen node did not lead again", ledAgain.isEmpty(), ledAgain.orElse(terms));
    result.target("the term stayed put after the thaw", afterThaw.stream()
        .allMatch(s -> s.view().term() == termWhileFrozen || s.view().term() == before.term()), terms);
  }
}
