package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.ChamberCatalogFile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.Movement;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.VerdictAuditor;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.cluster.PauseDetector;
import io.chamberlain.tools.launch.NodeProcess;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One of the reference topology changes played on real processes ({@link ProcessCluster}): a
 * {@code nats-server}, gateway and worker JVMs, a {@link Load} and, at the end, the
 * {@link VerdictAuditor}'s audit of every verdict. A scenario measures into a
 * {@link ScenarioResult} and checks what DESIGN.md promises — {@linkplain ScenarioResult#invariant
 * invariants} and timing {@linkplain ScenarioResult#target targets}; it never looks inside a node:
 * only processes, NATS and the status API.
 *
 * <p>The same classes run as integration tests ({@link Profile#TEST}: each {@code *IT} asserts the
 * invariants) and as {@code bin/chamberlain scenarios --live} ({@link Profile#BENCHMARK}: the shipped
 * configuration and the standard load of issue 8, 50 events/s over 300 chambers; exit code non-zero
 * on any broken invariant or missed target). Every wait is bounded and scaled by {@link TestTimeouts}.
 */
public abstract class LiveScenario {

  /** The longest pause a node survives ({@link PauseDetector}), as the shipped {@code cluster.xml} sets it. */
  protected static final Duration NODE_PAUSE_LIMIT = PauseDetector.threshold(ConfigUtil.loadConfig());

  private final Profile profile;
  private final String name;
  private final String description;
  private final String referenceDesign;
  private final String kafka;
  private final String target;

  /**
   * @param name short name, also the log directory prefix ({@code system-tests/target/live-runs/<name>-…})
   * @param description what happens, in one line
   * @param referenceDesign what the reference design ({@code 000_b4dc323a644510a9.txt}) reports for the same change
   * @param kafka what DESIGN.md reports Kafka 4.4 measured for it
   * @param target DESIGN.md's target for it
   */
  protected LiveScenario(Profile profile, String name, String description, String referenceDesign, String kafka,
      String target) {
    this.profile = profile;
    this.name = name;
    this.description = description;
    this.referenceDesign = referenceDesign;
    this.kafka = kafka;
    this.target = target;
  }

  public final Profile profile() {
    return profile;
  }

  public final String name() {
    return name;
  }

  public final String description() {
    return description;
  }

  public final String referenceDesign() {
    return referenceDesign;
  }

  public final String kafka() {
    return kafka;
  }

  public final String target() {
    return target;
  }

  /** How the cluster is laid out; scenarios adjust the slots, never the nodes' configuration. */
  protected ClusterOptions options() {
    return ClusterOptions.of(profile);
  }

  /** Plays the scenario on a started cluster directory (nothing runs yet) and records into {@code result}. */
  protected abstract void play(ProcessCluster cluster, ScenarioResult result) throws Exception;

  /** Runs the scenario once, start to end; never throws — an abort is part of the result. */
  public final ScenarioResult run() {
    ScenarioResult result = new ScenarioResult(name());
    try (ProcessCluster cluster = ProcessCluster.create(name(), options())) {
      result.logsIn(cluster.runDir());
      result.detail("profile", profile + " (JVM " + String.join(" ", profile.javaOptions()) + ", worker threads "
          + profile.workerThreads().map(String::valueOf).orElse("default") + ")");
      play(cluster, result);
    } catch (Exception | AssertionError e) {
      result.aborted(e);
    }
    return result;
  }

  /** The chambers of the profile's standard load, all in the catalog. */
  protected final List<ChamberKey> chambers() {
    return ChamberCatalogFile.chambers(profile.chambers());
  }

  /** The profile's standard rate (events/s). */
  protected final double rate() {
    return profile.eventsPerSecond();
  }

  /**
   * Starts nats-server, every gateway slot's gateway with {@code chambers} in the catalog, then the
   * {@code defenders}, and waits until they settle. Every node campaigns (the product default), so the
   * leader may run anywhere — usually on the first gateway, which starts first.
   */
  protected final void startCluster(ProcessCluster cluster, List<ChamberKey> chambers, Collection<String> defenders) {
    cluster.startNats();
    cluster.writeCatalog(chambers);
    for (int i = 0; i < options().gatewaySlots(); i++) {
      cluster.startAnotherGateway();
    }
    defenders.forEach(cluster::startWorker);
    if (!defenders.isEmpty()) {
      cluster.awaitSettled(Set.copyOf(defenders), TestTimeouts.seconds(120));
    }
  }

  /**
   * Like {@link #startCluster}, but the leader runs on a worker without configuring any node for it:
   * the workers start first and the gateways only once a worker's log says it leads (a leader keeps
   * its lock while it lives, so the gateways joining later do not take over). For scenarios that must
   * lose or restart the leader's defender node.
   */
  protected final void startClusterLeaderOnWorker(ProcessCluster cluster, List<ChamberKey> chambers,
      Collection<String> defenders) {
    if (defenders.size() < 2) {
      throw new IllegalArgumentException("a leader needs ≥ 2 cluster members (leader.minClusterMembers): " + defenders);
    }
    cluster.startNats();
    cluster.writeCatalog(chambers);
    defenders.forEach(cluster::startWorker);
    Await.until("a worker leads", TestTimeouts.seconds(120), () -> !cluster.workersThatLed().isEmpty());
    for (int i = 0; i < options().gatewaySlots(); i++) {
      cluster.startAnotherGateway();
    }
    ClusterView view = cluster.awaitSettled(Set.copyOf(defenders), TestTimeouts.seconds(120));
    if (view.defenderOnLeaderNode().isEmpty()) {
      throw new IllegalStateException("the leader moved off the workers while the gateways started: leader node "
          + view.leaderNode() + ", defenders " + view.defenders());
    }
  }

  /**
   * The traffic window after a change, before the audit: {@code benchmarkSeconds} of the standard
   * load in the benchmark; in a test {@link Profile#testWindowRounds()} rounds over the chambers
   * (every chamber that many events after the change), not a round number of seconds.
   */
  protected final void awaitWindow(Load load, double benchmarkSeconds) {
    if (profile.benchmark()) {
      load.awaitTraffic(benchmarkSeconds);
    } else {
      load.awaitRounds(Profile.testWindowRounds());
    }
  }

  /** The current assignment (homes and leases) through the status API. */
  protected static AssignmentView homes(ProcessCluster cluster) {
    return cluster.api().assignments();
  }

  /**
   * Waits until every chamber's latest verdict comes from its assigned owner — the cluster serves
   * the assignment, so a handover seen later is caused by what the scenario does next — and
   * returns the assignment then.
   */
  protected static AssignmentView awaitServing(ProcessCluster cluster, Load load) {
    AssignmentView homes = homes(cluster);
    load.awaitServing(homes.owners(), TestTimeouts.seconds(60));
    return homes;
  }

  /**
   * Records the moved and leased columns for a change that ran from {@code from} to {@code to}
   * (epoch ms), homes taken before it and after the cluster settled.
   */
  protected static Changes recordMovement(ScenarioResult result, Load.Outcome outcome, AssignmentView before,
      AssignmentView after, long from, long to, ClusterTimeline timeline) {
    Set<ChamberKey> moved = Movement.moved(before.owners(), after.owners());
    Set<ChamberKey> reported = new java.util.TreeSet<>(after.leasedTo().keySet());
    if (timeline != null) {
      reported.addAll(timeline.leasedSeen());
    }
    Set<ChamberKey> leased = Movement.leased(outcome.report().verdictsBetween(from, to), before.owners(),
        after.owners(), reported);
    result.measure(ScenarioResult.Column.MOVED, moved.size());
    result.measure(ScenarioResult.Column.LEASED, leased.size(), reported.isEmpty() ? "" : "(" + reported.size()
        + " reported leasedTo)");
    return new Changes(moved, leased);
  }

  /** What a change did to the chambers: home changes and leases ({@link Movement}). */
  protected record Changes(Set<ChamberKey> moved, Set<ChamberKey> leased) {
  }

  /** Target: no event that {@code which} selects breached the 5 s SLA. */
  protected static LatencySummary slaTarget(ScenarioResult result, Latencies latencies, String which,
      Predicate<Latencies.Timed> selection) {
    LatencySummary summary = latencies.summary(selection);
    result.target("0 SLA breaches (> " + LatencySummary.SLA_MILLIS + " ms) among " + which, summary.breaches() == 0,
        summary.breaches() + " of " + summary.count() + " breached, " + summary.shortText());
    return summary;
  }

  /** Target over every event. */
  protected static LatencySummary slaTarget(ScenarioResult result, Latencies latencies) {
    return slaTarget(result, latencies, "all events", timed -> true);
  }

  /** Chambers of {@code homes} whose home is {@code defender}. */
  protected static Set<ChamberKey> chambersOf(AssignmentView homes, String defender) {
    Set<ChamberKey> chambers = new java.util.TreeSet<>();
    homes.owners().forEach((chamber, owner) -> {
      if (owner.equals(defender)) {
        chambers.add(chamber);
      }
    });
    return chambers;
  }

  /** Predicate: the event's chamber is one of {@code chambers}. */
  protected static Predicate<Latencies.Timed> ofChambers(Set<ChamberKey> chambers) {
    return timed -> chambers.contains(timed.event().chamber());
  }

  /** The defender ids {@code defender-1} … {@code defender-n}. */
  protected static List<String> defenders(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "defender-" + i).toList();
  }

  /**
   * Ends a freeze as a node's supervisor sees it: SIGCONT, and a node frozen past
   * {@link #NODE_PAUSE_LIMIT} halts itself on waking ({@link PauseDetector}) — an invariant — and is
   * started again. A shorter pause leaves the node running (its scenario checks that it survived).
   */
  protected static void thaw(NodeProcess node, Duration frozenFor, ScenarioResult result) {
    node.thaw();
    if (frozenFor.compareTo(NODE_PAUSE_LIMIT) > 0) {
      int exit = node.exitsWithin(TestTimeouts.seconds(15)) ? node.awaitExit(Duration.ZERO) : -1;
      result.invariant(node.name() + " halted itself on waking from a " + frozenFor.toMillis() + " ms pause (exit "
          + PauseDetector.EXIT_CODE + ")", exit == PauseDetector.EXIT_CODE, exit < 0 ? "still running" : "exit code " + exit);
      if (exit >= 0) {
        node.restart();
      }
    }
  }

  /** Sleeps until {@code at} (epoch ms): a scenario's own schedule (fault at t+N s), not synchronisation. */
  protected static void pauseUntil(long at) throws InterruptedException {
    long wait = at - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait); // the scenario's schedule, not synchronisation
    }
  }
}
