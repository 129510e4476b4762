package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cold start on real processes: the gateway is up and the collector already publishing (20 events/s
 * over 30 chambers) before any defender exists; five worker JVMs are then started one per second.
 * Events published while no chamber is owned must wait in JetStream, not be lost.
 *
 * <p>Checked: every event exactly one verdict, per-chamber order, exclusive ownership (the audit);
 * every chamber owned soon after the first defender is ready; the cluster settles on all five.
 * Measured and logged (sampled from {@code /api/cluster} every 100 ms): first defender ready →
 * all chambers owned (design target ≤ 1 s), last start → settled on five, the number of assignment
 * epochs published (target ≤ 3 rounds), chambers moved while defenders joined, latency.
 */
class ColdStartIT {

  private static final int CHAMBERS = 30;
  private static final int WORKERS = 5;
  private static final double EVENTS_PER_SECOND = 20;

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void staggeredJoinsOwnEveryChamberQuicklyAndLoseNothing() throws InterruptedException {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    Set<String> defenders = new LinkedHashSet<>();
    try (ProcessCluster cluster = ProcessCluster.create("cold-start", ClusterOptions.defaults().withWorkerSlots(WORKERS))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      try (ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
        SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
        long firstStartAt = System.currentTimeMillis();
        long lastStartAt;
        ClusterView settled;
        try {
          for (int i = 1; i <= WORKERS; i++) {
            if (i > 1) {
              Thread.sleep(1_000); // the scenario's pacing (one start per second), not synchronisation
            }
            defenders.add("defender-" + i);
            cluster.startWorker("defender-" + i);
          }
          lastStartAt = System.currentTimeMillis();
          settled = cluster.awaitSettled(defenders, seconds(120));
          int settledCount = publisher.count();
          Await.until("3 s of traffic after settling", seconds(30),
              () -> publisher.count() >= settledCount + 3 * EVENTS_PER_SECOND);
        } finally {
          publisher.stop();
        }
        long firstReadyAt = timeline.first(firstStartAt, view -> !view.chambersByDefender().isEmpty())
            .orElseThrow(() -> new AssertionError("the timeline never saw a defender")).at();
        long allOwnedAt = timeline.first(firstStartAt, view -> view.unownedChambers() == 0
            && !view.chambersByDefender().isEmpty()).orElseThrow().at();
        long settledAt = timeline.first(firstStartAt, view -> view.settledOn(defenders))
            .map(ClusterTimeline.Sample::at).orElse(System.currentTimeMillis());

        AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(), seconds(60));
        System.out.println("live: cold-start: " + report.summary());
        for (String defender : defenders) {
          timeline.first(firstStartAt, view -> view.chambersByDefender().containsKey(defender)).ifPresent(sample ->
              System.out.printf("live: cold-start: %s joined %d ms after the first start%n", defender,
                  sample.at() - firstStartAt));
        }
        System.out.printf("live: cold-start: first worker start → first defender ready %d ms; first ready → all %d chambers"
                + " owned %d ms; last start → settled on %d defenders %d ms; assignment epochs %d; chambers moved while"
                + " joining %d; max latency %d ms (%d ms for events completed after settling)%n",
            firstReadyAt - firstStartAt, CHAMBERS, allOwnedAt - firstReadyAt, WORKERS, settledAt - lastStartAt,
            settled.epoch(), report.movedChambers().size(), report.maxLatencyMillis(),
            report.maxLatencyMillisSince(settledAt));
        System.out.println("live: cold-start: gateway retries by reason " + cluster.api().retriedByReason());
        assertTrue(report.clean(), report.summary());
        assertTrue(allOwnedAt - firstReadyAt < seconds(10).toMillis(),
            "all chambers owned within 10 s (scaled) of the first defender; took " + (allOwnedAt - firstReadyAt) + " ms");
      }
    }
  }
}
