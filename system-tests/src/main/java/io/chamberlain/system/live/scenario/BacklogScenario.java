package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ChamberCatalogFile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import java.util.List;
import java.util.Set;

/**
 * A backlog must drain: 10 events/s over 10 chambers for 10 s while no defender exists (about 10
 * events queued per chamber), then one worker starts. The defense process costs about a
 * millisecond, so the backlog should be gone within seconds. Stays at its own small load (the
 * standard 300 chambers would make it {@link ColdBacklogScenario}, which plays issue 8's backlog).
 *
 * <p>It pins a fixed convoy: events deferred behind a chamber's outstanding event used to be
 * nak'ed with their own growing back-off, so every event walked the whole ladder (≈ 13.4 s each,
 * forever while traffic continued). Invariants: the audit; the backlog drains (every event a
 * verdict). Target: events sent {@link #SETTLE_MARGIN_MILLIS} after the cluster settled meet the SLA.
 */
public final class BacklogScenario extends LiveScenario {

  private static final int BACKLOG_CHAMBERS = 10;
  private static final double BACKLOG_RATE = 10;
  private static final long SETTLE_MARGIN_MILLIS = 10_000;

  public BacklogScenario(Profile profile) {
    super(profile, "backlog", "10 s of events with no defender, then 1 worker starts",
        "—", "—", "backlog drains; later events meet the 5 s SLA");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(1);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(BACKLOG_CHAMBERS);
    startCluster(cluster, chambers, List.of());
    try (Load load = Load.start(cluster, chambers, BACKLOG_RATE)) {
      Await.until("a backlog of 10 s", seconds(60), () -> load.publisher().count() >= 10 * BACKLOG_RATE);
      long startedAt = System.currentTimeMillis();
      cluster.startWorker("defender-1");
      cluster.awaitSettled(Set.of("defender-1"), seconds(90));
      long settledAt = System.currentTimeMillis();
      result.recovery("settled", (settledAt - startedAt) + " ms after the worker started (JVM start-up included)");
      int atSettle = load.publisher().count();
      // The benchmark's 20 s; a test (which only logs the target) the margin and then enough rounds that every
      // chamber has events the target judges.
      int after = profile().benchmark() ? (int) (20 * BACKLOG_RATE)
          : (int) (SETTLE_MARGIN_MILLIS / 1000 * BACKLOG_RATE) + Profile.testWindowRounds() * BACKLOG_CHAMBERS;
      Await.until(after + " events after settling", seconds(60), () -> load.publisher().count() >= atSettle + after);

      Load.Outcome outcome = load.audit(cluster, result);
      slaTarget(result, outcome.latencies(), "events sent " + SETTLE_MARGIN_MILLIS / 1000 + " s after settling",
          Latencies.sentBetween(settledAt + SETTLE_MARGIN_MILLIS, Long.MAX_VALUE));
    }
  }
}
