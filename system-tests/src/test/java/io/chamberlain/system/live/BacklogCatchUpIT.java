package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backlog must drain: the collector publishes 10 events/s over 10 chambers for 10 s while no
 * defender exists (about 10 events queued per chamber), then one worker starts. The defense process
 * costs about a millisecond, so the backlog should be gone within seconds and events completed
 * 10 s after the cluster settled should meet the 5 s SLA.
 *
 * <p>Disabled because it fails on today's gateway: once a chamber has a backlog, every later event of
 * that chamber is deferred ("behind-earlier-event": nak'ed with its own exponential delay) on each
 * redelivery, because the event ahead of it is itself away on redelivery — a convoy. Each event then
 * walks the whole backoff ladder, 250+500+1000+2000+4000 ms and the 5,000 ms cap plus 100 ms per step
 * ≈ 13.4 s, before it is dispatched: measured here 13.4 s on every event 10 s after settling (1,974
 * deferrals for 339 events), and in ColdStartIT 13.4 s on every event of chamber lt01:1 at another
 * arrival rate. The backlog never drains while traffic continues; the defender is idle meanwhile.
 * Run it anyway with {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}.
 */
@Disabled("known bug: after a backlog every event of the chamber is deferred through the whole nak backoff "
    + "ladder (~13.4 s latency on every event, forever while traffic continues); see class comment")
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
