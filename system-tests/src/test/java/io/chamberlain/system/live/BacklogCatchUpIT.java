package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backlog must drain: the collector publishes 10 events/s over 10 chambers for 10 s while no
 * defender exists (about 10 events queued per chamber), then one worker starts. The defense process
 * costs about a millisecond, so the backlog should be gone within seconds and events completed
 * 10 s after the cluster settled should meet the 5 s SLA.
 *
 * <p>It pins a fixed convoy: events deferred behind a chamber's outstanding event used to be
 * nak'ed with their own growing back-off, so every event walked the whole ladder (≈ 13.4 s each,
 * forever while traffic continued). Followers now come back just after the event they wait for.
 */
class BacklogCatchUpIT {

  private static final int CHAMBERS = 10;
  private static final double EVENTS_PER_SECOND = 10;
  private static final long SLA_MILLIS = 5_000;

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aBacklogDrainsAndLaterEventsMeetTheSla() {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    try (ProcessCluster cluster = ProcessCluster.create("backlog", ClusterOptions.defaults().withWorkerSlots(1))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
      long settledAt;
      try {
        Await.until("a backlog of 10 s", seconds(60), () -> publisher.count() >= 10 * EVENTS_PER_SECOND);
        cluster.startWorker("defender-1");
        cluster.awaitSettled(Set.of("defender-1"), seconds(90));
        settledAt = System.currentTimeMillis();
        int countAtSettle = publisher.count();
        Await.until("20 s of traffic after settling", seconds(60),
            () -> publisher.count() >= countAtSettle + 20 * EVENTS_PER_SECOND);
      } finally {
        publisher.stop();
      }
      AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(), seconds(90));
      long lateMax = report.maxLatencyMillisSince(settledAt + 10_000);
      System.out.println("live: backlog: " + report.summary());
      System.out.printf("live: backlog: max latency of events completed 10 s after settling %d ms;"
          + " gateway retries by reason %s%n", lateMax, cluster.api().retriedByReason());
      assertTrue(report.clean(), report.summary());
      assertTrue(lateMax < SLA_MILLIS, "events completed 10 s after settling meet the SLA; max latency " + lateMax + " ms");
    }
  }
}
