package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart of every worker, one by one, same ids, under steady load (20 events/s over 30
 * chambers): SIGTERM (the worker announces the restart, finishes its events in flight, leaves),
 * then the same defender id starts again within the restart grace.
 *
 * <p>Checked: zero chambers moved (every chamber keeps its defender through the whole roll), every
 * event exactly one verdict, per-chamber order, exclusive ownership. Measured and logged: the
 * longest pause of a chamber (time without a verdict) per step, against the restart time.
 */
class RollingRestartIT {

  private static final int CHAMBERS = 30;
  private static final double EVENTS_PER_SECOND = 20;
  private static final List<String> DEFENDERS = List.of("defender-1", "defender-2", "defender-3");

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void rollingEveryWorkerMovesNoChamberAndLosesNothing() {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    try (ProcessCluster cluster = ProcessCluster.create("rolling", ClusterOptions.defaults().withWorkerSlots(3))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      DEFENDERS.forEach(cluster::startWorker);
      cluster.awaitSettled(Set.copyOf(DEFENDERS), seconds(90));
      SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
      long rollStart;
      long rollEnd;
      try {
        awaitTraffic(publisher, 3);
        rollStart = System.currentTimeMillis();
        for (String defender : DEFENDERS) {
          long stoppedAt = System.currentTimeMillis();
          cluster.worker(defender).terminate();
          assertEquals(NodeProcess.EXIT_SIGTERM, cluster.worker(defender).awaitExit(seconds(40)),
              defender + " stops gracefully on SIGTERM");
          cluster.worker(defender).restart();
          cluster.awaitSettled(Set.copyOf(DEFENDERS), seconds(90));
          System.out.printf("live: rolling: %s back and settled %d ms after SIGTERM%n", defender,
              System.currentTimeMillis() - stoppedAt);
          awaitTraffic(publisher, 2);
        }
        rollEnd = System.currentTimeMillis();
      } finally {
        publisher.stop();
      }
      AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(), seconds(60));
      System.out.println("live: rolling: " + report.summary());
      long longestPause = chambers.stream().mapToLong(c -> report.longestGapMillis(c, rollStart, rollEnd)).max().orElse(0);
      System.out.printf("live: rolling: %d chambers moved during the roll; longest pause of a chamber %d ms; max latency %d ms%n",
          report.handovers(rollStart, rollEnd).size(), longestPause, report.maxLatencyMillis());
      assertTrue(report.clean(), report.summary());
      assertEquals(List.of(), report.handovers(rollStart, rollEnd), "a rolling restart with the same ids moves no chamber");
    }
  }

  private static void awaitTraffic(SteadyPublisher publisher, int seconds) {
    int start = publisher.count();
    Await.until(seconds + " s of traffic", Timeouts.seconds(seconds * 5L),
        () -> publisher.count() >= start + seconds * EVENTS_PER_SECOND);
  }
}
