package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Two gateways, one ingesting, one standing by, under steady load (2 workers, 20 events/s over 30
 * chambers; the gateways do not lead). The active gateway goes away — killed (SIGKILL), or stopped
 * for a rolling update (SIGTERM) — and the standby must take the ingestion lane over.
 *
 * <p>Checked: exactly one gateway ingests at a time (before: the first active, the second standby);
 * the standby takes over within {@link #TAKEOVER_BOUND}; no chamber moves (gateways own none); every
 * event exactly one verdict, in per-chamber order — the events the lost gateway held come again
 * before newer ones, because the standby takes over by resetting the consumer at its ack floor. What
 * those events wait: after a SIGTERM the gateway hands them back at once, so none waits longer than
 * {@link #HANDOVER_LATENCY}; after a SIGKILL they come again when the standby takes the lane, so
 * none waits longer than the takeover plus {@link #HANDOVER_LATENCY} (not JetStream's ack wait).
 */
public final class GatewayFailoverScenario extends LiveScenario {

  private static final Set<String> DEFENDERS = Set.of("defender-1", "defender-2");
  private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(5);
  private static final Duration HANDOVER_LATENCY = Duration.ofSeconds(3);

  private final boolean crash;

  private GatewayFailoverScenario(boolean crash) {
    super(crash ? "gateway-crash" : "gateway-roll",
        (crash ? "SIGKILL" : "SIGTERM") + " of the ingesting gateway of 2; the standby takes over",
        "—", crash ? "standby ingests within seconds, nothing lost" : "held events handed over at once");
    this.crash = crash;
  }

  /** The active gateway is killed. */
  public static GatewayFailoverScenario crash() {
    return new GatewayFailoverScenario(true);
  }

  /** The active gateway is stopped gracefully, as in a rolling update. */
  public static GatewayFailoverScenario roll() {
    return new GatewayFailoverScenario(false);
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withGatewaySlots(2).withWorkerSlots(2).withLeaderOnWorkersOnly();
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    cluster.startNats();
    cluster.startGateway(chambers);
    cluster.startAnotherGateway();
    cluster.useApiOf(1); // the standby's status API outlives the active gateway
    DEFENDERS.forEach(cluster::startWorker);
    cluster.awaitSettled(DEFENDERS, seconds(90));
    result.check("the first gateway ingests, the second stands by",
        "active".equals(cluster.api(0).ingestion()) && "standby".equals(cluster.api(1).ingestion()),
        cluster.api(0).ingestion() + " / " + cluster.api(1).ingestion());
    try (Load load = Load.start(cluster, chambers, EVENTS_PER_SECOND)) {
      awaitServing(cluster, "defender-1");
      NodeProcess active = cluster.gateway(0);
      long lostAt = System.currentTimeMillis();
      if (crash) {
        active.kill9();
      } else {
        active.terminate();
      }
      int exit = active.awaitExit(seconds(40));
      result.check("the active gateway ended by " + (crash ? "SIGKILL" : "SIGTERM"),
          exit == (crash ? NodeProcess.EXIT_SIGKILL : NodeProcess.EXIT_SIGTERM), "exit code " + exit);
      Await.until("the standby ingests", seconds(60), () -> "active".equals(cluster.api(1).ingestion()));
      long takeover = System.currentTimeMillis() - lostAt;
      load.awaitTraffic(12);

      AuditReport report = load.audit(cluster, result);
      result.measure(ScenarioResult.Column.RECOVERY, takeover, "(gateway lost → standby ingests)");
      result.check("the standby took the lane within " + TAKEOVER_BOUND.toMillis() + " ms (scaled)",
          takeover <= seconds(TAKEOVER_BOUND.toSeconds()).toMillis(), "took " + takeover + " ms");
      result.measure(ScenarioResult.Column.MOVED, report.handovers(lostAt, Long.MAX_VALUE).size());
      result.check("no chamber moved: gateways own none", report.handovers(lostAt, Long.MAX_VALUE).isEmpty(),
          "handovers " + report.handovers(lostAt, Long.MAX_VALUE));
      Duration bound = crash ? TAKEOVER_BOUND.plus(HANDOVER_LATENCY) : HANDOVER_LATENCY;
      long worst = report.maxLatencyMillisSince(lostAt - seconds(HANDOVER_LATENCY.toSeconds()).toMillis());
      result.check("no event around the change waited longer than " + bound.toMillis() + " ms (scaled)",
          worst <= seconds(bound.toSeconds()).toMillis(), "worst " + worst + " ms");
    }
  }
}
