package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Two gateways, one ingesting, one standing by, under the standard load (2 workers; the leader runs
 * on a worker — started first — so losing the gateway loses nothing else). The active gateway goes
 * away — killed (SIGKILL), or stopped for a rolling update (SIGTERM) — and the standby must take the
 * ingestion lane over.
 *
 * <p>Invariants: exactly one gateway ingests at a time (before: the first active, the second
 * standby); the gateway ended by the signal sent; no chamber changes home (gateways own none); every
 * event exactly one verdict, in per-chamber order — the events the lost gateway held come again
 * before newer ones, because the standby takes over by resetting the consumer at its ack floor.
 * Targets: the standby takes over within {@link #TAKEOVER_TARGET}; after a SIGTERM the gateway hands
 * held events back at once, so none waits longer than {@link #HANDOVER_LATENCY}; after a SIGKILL none
 * waits longer than the takeover target plus {@link #HANDOVER_LATENCY}; no SLA breach.
 */
public final class GatewayFailoverScenario extends LiveScenario {

  private static final Set<String> DEFENDERS = Set.of("defender-1", "defender-2");
  private static final Duration TAKEOVER_TARGET = Duration.ofSeconds(5);
  private static final Duration HANDOVER_LATENCY = Duration.ofSeconds(3);

  private final boolean crash;

  private GatewayFailoverScenario(Profile profile, boolean crash) {
    super(profile, crash ? "gateway-crash" : "gateway-roll",
        (crash ? "SIGKILL" : "SIGTERM") + " of the ingesting gateway of 2; the standby takes over",
        "—", "—", crash ? "standby ingests within seconds, nothing lost" : "held events handed over at once");
    this.crash = crash;
  }

  /** The active gateway is killed. */
  public static GatewayFailoverScenario crash(Profile profile) {
    return new GatewayFailoverScenario(profile, true);
  }

  /** The active gateway is stopped gracefully, as in a rolling update. */
  public static GatewayFailoverScenario roll(Profile profile) {
    return new GatewayFailoverScenario(profile, false);
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(2).withWorkerSlots(2);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startClusterLeaderOnWorker(cluster, chambers, DEFENDERS);
    cluster.useApiOf(1); // the standby's status API outlives the active gateway
    result.invariant("the first gateway ingests, the second stands by",
        "active".equals(cluster.api(0).ingestion()) && "standby".equals(cluster.api(1).ingestion()),
        cluster.api(0).ingestion() + " / " + cluster.api(1).ingestion());
    try (Load load = Load.start(cluster, chambers, rate())) {
      AssignmentView before = awaitServing(cluster, load);
      NodeProcess active = cluster.gateway(0);
      long lostAt = System.currentTimeMillis();
      if (crash) {
        active.kill9();
      } else {
        active.terminate();
      }
      int exit = active.awaitExit(seconds(40));
      result.invariant("the active gateway ended by " + (crash ? "SIGKILL" : "SIGTERM"),
          exit == (crash ? NodeProcess.EXIT_SIGKILL : NodeProcess.EXIT_SIGTERM), "exit code " + exit);
      Await.until("the standby ingests", seconds(60), () -> "active".equals(cluster.api(1).ingestion()));
      long takeover = System.currentTimeMillis() - lostAt;
      awaitWindow(load, 12);
      AssignmentView after = homes(cluster);

      Load.Outcome outcome = load.audit(cluster, result);
      result.recovery("standby ingests", takeover + " ms after the gateway was lost");
      result.target("the standby took the lane within " + TAKEOVER_TARGET.toMillis() + " ms",
          takeover <= TAKEOVER_TARGET.toMillis(), "took " + takeover + " ms");
      Set<ChamberKey> moved = recordMovement(result, outcome, before, after, lostAt, Long.MAX_VALUE, null).moved();
      result.invariant("no chamber changed home: gateways own none", moved.isEmpty(), "moved " + moved);
      Duration bound = crash ? TAKEOVER_TARGET.plus(HANDOVER_LATENCY) : HANDOVER_LATENCY;
      LatencySummary around = outcome.latencies().summary(Latencies.sentBetween(
          lostAt - HANDOVER_LATENCY.toMillis(), Long.MAX_VALUE));
      result.target("no event around the change waited longer than " + bound.toMillis() + " ms",
          around.max() <= bound.toMillis(), around.shortText());
      slaTarget(result, outcome.latencies());
    }
  }
}
