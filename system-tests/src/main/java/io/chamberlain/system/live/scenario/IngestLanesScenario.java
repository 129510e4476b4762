package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.GatewayApi;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Ingestion that scales out: the completions split into {@link #LANES} lanes (nats-server maps each
 * chamber to one), 2 workers (the leader on one of them), under the standard load. One gateway
 * ingests every lane; a second joins and takes half of them; then the first is SIGKILLed and the
 * survivor takes its lanes over.
 *
 * <p>Invariants: one gateway holds all {@link #LANES}; with two, each holds half, none twice, none
 * unheld; after the kill the survivor holds all of them and never let go of its own (only the dead
 * gateway's lanes moved); both gateways ingested events while they shared the lanes; every event
 * exactly one verdict, in per-chamber order. Targets: the lanes are shared within
 * {@link #SHARE_TARGET} of the second gateway being up, the survivor holds every lane within
 * {@link #TAKEOVER_TARGET} of the kill, each gateway ingests 25–75 % of the events while sharing, no
 * SLA breach.
 */
public final class IngestLanesScenario extends LiveScenario {

  static final int LANES = 4;
  private static final Set<String> DEFENDERS = Set.of("defender-1", "defender-2");
  private static final Duration SHARE_TARGET = Duration.ofSeconds(5);
  private static final Duration TAKEOVER_TARGET = Duration.ofSeconds(5);
  /** How long both gateways ingest side by side before one is killed (a test: {@link Profile#testWindowRounds()} rounds). */
  private static final Duration SHARED_WINDOW = Duration.ofSeconds(10);
  private static final Pattern RELEASED = Pattern.compile("ingest: lane \\[\\d+/\\d+\\] released");

  public IngestLanesScenario(Profile profile) {
    super(profile, "ingest-lanes", LANES + " ingestion lanes: 1 gateway, a 2nd joins, the 1st is SIGKILLed",
        "one ingesting gateway, the rest stand by", "partitions over consumers",
        "2 gateways share the lanes; a kill moves only its lanes; nothing lost");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(2).withWorkerSlots(2).withLanes(LANES);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws Exception {
    List<ChamberKey> chambers = chambers();
    cluster.startNats();
    cluster.writeCatalog(chambers);
    DEFENDERS.forEach(cluster::startWorker);
    Await.until("a worker leads", seconds(120), () -> !cluster.workersThatLed().isEmpty());
    cluster.startAnotherGateway();
    cluster.awaitSettled(DEFENDERS, seconds(120));
    GatewayApi first = cluster.api(0);
    Await.until("the only gateway holds every lane", seconds(30), () -> first.lanes().size() == LANES);
    result.invariant("one gateway holds all " + LANES + " lanes", first.lanes().equals(allLanes()), "holds " + first.lanes());

    try (Load load = Load.start(cluster, chambers, rate())) {
      awaitServing(cluster, load);
      cluster.startAnotherGateway();
      long joinedAt = System.currentTimeMillis(); // up: /health answers
      GatewayApi second = cluster.api(1);
      Await.until("the two gateways share the lanes", seconds(60), () -> shared(first.lanes(), second.lanes()));
      long shareTook = System.currentTimeMillis() - joinedAt;
      Set<Integer> firstLanes = first.lanes();
      Set<Integer> secondLanes = second.lanes();
      result.invariant("two gateways hold " + LANES / 2 + " lanes each, every lane once",
          shared(firstLanes, secondLanes), "first " + firstLanes + ", second " + secondLanes);
      result.detail("lanes", "one gateway " + allLanes() + " → first " + firstLanes + " + second " + secondLanes);
      result.target("the second gateway took its share within " + SHARE_TARGET.toMillis() + " ms",
          shareTook <= SHARE_TARGET.toMillis(), "took " + shareTook + " ms");

      long firstBefore = first.stats().getLong("processed");
      long secondBefore = second.stats().getLong("processed");
      long sharedFrom = System.currentTimeMillis();
      if (profile().benchmark()) {
        pauseUntil(sharedFrom + SHARED_WINDOW.toMillis());
      } else {
        load.awaitRounds(Profile.testWindowRounds()); // every chamber, so every lane, gets events while shared
      }
      long byFirst = first.stats().getLong("processed") - firstBefore;
      long bySecond = second.stats().getLong("processed") - secondBefore;
      result.detail("ingested while sharing", byFirst + " by the first, " + bySecond + " by the second in "
          + (System.currentTimeMillis() - sharedFrom) + " ms");
      result.invariant("both gateways ingest while they share the lanes", byFirst > 0 && bySecond > 0,
          byFirst + " / " + bySecond);
      double share = (double) bySecond / Math.max(1, byFirst + bySecond);
      result.target("each gateway ingests 25–75 % of the events", share >= 0.25 && share <= 0.75,
          String.format("second %.0f %%", share * 100));

      cluster.useApiOf(1); // the survivor's status API
      NodeProcess victim = cluster.gateway(0);
      long killedAt = System.currentTimeMillis();
      victim.kill9();
      int exit = victim.awaitExit(seconds(40));
      result.invariant("the first gateway died of SIGKILL", exit == NodeProcess.EXIT_SIGKILL, "exit code " + exit);
      Await.until("the survivor holds every lane", seconds(60), () -> second.lanes().size() == LANES);
      long takeover = System.currentTimeMillis() - killedAt;
      result.invariant("the survivor holds all " + LANES + " lanes", second.lanes().equals(allLanes()),
          "holds " + second.lanes());
      result.invariant("only the dead gateway's lanes moved: the survivor never released one",
          cluster.gateway(1).findInLog(RELEASED).isEmpty(), cluster.gateway(1).findInLog(RELEASED).orElse("none"));
      result.recovery("survivor holds every lane", takeover + " ms after the kill");
      result.target("the survivor took the dead gateway's lanes within " + TAKEOVER_TARGET.toMillis() + " ms",
          takeover <= TAKEOVER_TARGET.toMillis(), "took " + takeover + " ms");
      awaitWindow(load, 12);
      Load.Outcome outcome = load.audit(cluster, result);
      slaTarget(result, outcome.latencies());
    }
  }

  private static Set<Integer> allLanes() {
    Set<Integer> all = new TreeSet<>();
    for (int lane = 0; lane < LANES; lane++) {
      all.add(lane);
    }
    return all;
  }

  /** Each holds half, and together every lane once. */
  private static boolean shared(Set<Integer> a, Set<Integer> b) {
    Set<Integer> union = new TreeSet<>(a);
    union.addAll(b);
    return a.size() == LANES / 2 && b.size() == LANES / 2 && union.equals(allLanes());
  }
}
