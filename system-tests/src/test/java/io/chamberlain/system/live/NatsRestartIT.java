package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NATS server dies by SIGKILL under steady load (1 gateway, 2 workers, 20 events/s over 30
 * chambers), stays down for 2 s and comes back on the same store. DESIGN.md: "nothing is lost when
 * … the NATS server dies and comes back". The collector retries its unacknowledged publish with the
 * same {@code Nats-Msg-Id}; the nodes reconnect by themselves.
 *
 * <p>Checked: every event acked by JetStream gets exactly one verdict, in per-chamber order, with
 * exclusive ownership (the audit); nothing went to the dead-letter path. Logged: how long the
 * publisher was held up, the gateway's retry reasons, latency, when processing resumed.
 *
 * <p>It pins a fixed stall: the ingestion's pull consumer used to receive nothing for 44–87 s
 * after the server came back, until jnats' idle-heartbeat alarm re-pulled; it now pulls again on
 * every reconnect.
 */
class NatsRestartIT {

  private static final int CHAMBERS = 30;
  private static final double EVENTS_PER_SECOND = 20;
  private static final Set<String> DEFENDERS = Set.of("defender-1", "defender-2");

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void killedNatsServerComesBackAndNothingIsLost() {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    try (ProcessCluster cluster = ProcessCluster.create("nats-restart", ClusterOptions.defaults().withWorkerSlots(2))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      DEFENDERS.forEach(cluster::startWorker);
      cluster.awaitSettled(DEFENDERS, seconds(90));

      SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
      long killedAt;
      long restartedAt;
      try {
        Await.until("every chamber has events", seconds(60), () -> publisher.count() >= 3 * CHAMBERS);
        killedAt = System.currentTimeMillis();
        cluster.restartNats(true, Duration.ofSeconds(2));
        restartedAt = System.currentTimeMillis();
        System.out.printf("live: nats-restart: nats-server back %d ms after the kill%n",
            System.currentTimeMillis() - killedAt);
        int countAtRestart = publisher.count();
        Await.until("10 s of traffic after the restart", seconds(60),
            () -> publisher.count() >= countAtRestart + 10 * EVENTS_PER_SECOND);
      } finally {
        publisher.stop();
      }

      AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(), seconds(120));
      System.out.println("live: nats-restart: " + report.summary());
      long firstVerdictAfterRestart = report.verdictsByChamber().values().stream().flatMap(List::stream)
          .mapToLong(Verdict::publishedAt).filter(at -> at > restartedAt).min().orElse(-1);
      System.out.printf("live: nats-restart: first verdict %s after nats-server was back%n",
          firstVerdictAfterRestart < 0 ? "never (within the drain window)" : (firstVerdictAfterRestart - restartedAt) + " ms");
      System.out.printf("live: nats-restart: publishes retried by the collector %d; gateway stats %s%n",
          publisher.failures(), cluster.api().stats().encode());
      System.out.println("live: nats-restart: gateway retries by reason " + cluster.api().retriedByReason());
      assertTrue(report.clean(), report.summary());
      assertTrue(cluster.api().stats().getLong("deadLettered") == 0, "no event was dead-lettered by the outage");
      assertTrue(firstVerdictAfterRestart > 0 && firstVerdictAfterRestart - restartedAt < seconds(10).toMillis(),
          "processing resumed within 10 s (scaled) of nats-server being back");
    }
  }
}
