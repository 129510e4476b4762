package io.chamberlain.system.live.scenario;

import static io.chamberlain.system.live.Timeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.SteadyPublisher;
import io.chamberlain.system.live.VerdictAuditor;
import io.chamberlain.system.live.VerdictTap;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A hung defender (SIGSTOP: alive, sockets open, silent) under steady load (1 gateway, 3 workers,
 * 20 events/s over 30 chambers), frozen for {@link #FROZEN_FOR} — longer than the leader's defender
 * timeout (3 s here), Hazelcast's member timeout (5 s) and the gateway's request timeout (10 s) —
 * then thawed (SIGCONT). It wakes up holding its chamber verticles, an old assignment and possibly
 * an event in flight: the dangerous moment for exclusive ownership.
 *
 * <p>Checked: every event exactly one verdict, per-chamber order, exclusive ownership across the
 * freeze and the wake-up; the frozen defender's chambers are processed elsewhere while it is
 * frozen, each within the heartbeat timeout plus {@link #RECOVERY_ALLOWANCE}.
 */
public final class FrozenWorkerScenario extends LiveScenario {

  private static final String FROZEN = "defender-2";
  private static final Set<String> DEFENDERS = Set.of("defender-1", FROZEN, "defender-3");
  private static final Duration FROZEN_FOR = Duration.ofSeconds(15);
  private static final Duration RECOVERY_ALLOWANCE = Duration.ofSeconds(3);

  @Override
  public String name() {
    return "frozen-worker";
  }

  @Override
  public String description() {
    return "SIGSTOP of 1 of 3 workers for " + FROZEN_FOR.toSeconds() + " s, then SIGCONT (dead after "
        + options().defenderTimeout().toSeconds() + " s silence)";
  }

  @Override
  public String referenceDesign() {
    return "8 s";
  }

  @Override
  public String target() {
    return "≤ 6 s (dead after 5 s), fenced when it wakes";
  }

  @Override
  protected ClusterOptions options() {
    return ClusterOptions.defaults().withWorkerSlots(3);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws InterruptedException {
    List<ChamberKey> chambers = chambers();
    cluster.startNats();
    cluster.startGateway(chambers);
    DEFENDERS.forEach(cluster::startWorker);
    cluster.awaitSettled(DEFENDERS, seconds(90));
    NodeProcess frozen = cluster.worker(FROZEN);
    VerdictAuditor auditor = new VerdictAuditor(cluster.natsUrl());
    try (VerdictTap tap = VerdictTap.start(cluster.natsUrl());
        SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      Await.until("every chamber judged by its assigned owner", seconds(60),
          () -> Recoveries.servingAssignment(auditor.readAll(), cluster.api().assignment()));
      Set<ChamberKey> owned = cluster.api().chambersOf(FROZEN);
      long frozenAt = System.currentTimeMillis();
      frozen.freeze();
      cluster.awaitSettled(Set.of("defender-1", "defender-3"), seconds(60));
      Thread.sleep(Math.max(0, frozenAt + FROZEN_FOR.toMillis() - System.currentTimeMillis())); // the freeze's length
      frozen.thaw();
      long thawedAt = System.currentTimeMillis();
      awaitTraffic(publisher, 15);
      result.detail(FROZEN + " back in the view after the thaw (ms)", timeline.first(thawedAt,
          view -> view.chambersByDefender().containsKey(FROZEN)).map(s -> s.at() - thawedAt).orElse(-1L));
      result.check(FROZEN + " survived its freeze", frozen.isAlive(), "it exited");

      AuditReport report = audit(cluster, publisher, tap, result);
      result.measure(ScenarioResult.Column.MOVED, report.handovers(frozenAt, thawedAt).size(),
          "while frozen (" + FROZEN + " owned " + owned.size() + "), " + report.handovers(thawedAt, Long.MAX_VALUE).size()
              + " back after the thaw");
      long bound = options().defenderTimeout().plus(RECOVERY_ALLOWANCE).toMillis();
      Recoveries.record(result, Recoveries.reassignedAfter(timeline, FROZEN, frozenAt),
          Recoveries.of(report, owned, FROZEN, frozenAt), seconds(bound / 1000).toMillis(),
          "silence timeout " + options().defenderTimeout().toMillis() + " ms + " + RECOVERY_ALLOWANCE.toMillis()
              + " ms; bound scaled");
    }
  }
}
