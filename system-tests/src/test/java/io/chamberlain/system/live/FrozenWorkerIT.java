package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hung defender (SIGSTOP: alive, sockets open, silent) under steady load (1 gateway, 3 workers,
 * 20 events/s over 30 chambers), frozen for {@link #FROZEN_FOR} — longer than the leader's defender
 * timeout (3 s), Hazelcast's member timeout (5 s) and the gateway's request timeout (10 s, the
 * longest a request to the frozen node can hold its chamber) — then thawed (SIGCONT). When it wakes
 * it still holds its chamber verticles and possibly an event in flight: the dangerous moment for
 * exclusive ownership.
 *
 * <p>Checked: every event exactly one verdict, per-chamber order, exclusive ownership across the
 * freeze and the wake-up (the audit); the frozen defender's chambers resume on survivors while it
 * is frozen (bound: the freeze; the design target of 6 s is a benchmark). Logged: recovery per chamber, whether and when the thawed defender is back in the
 * leader's view, chambers that moved after the thaw.
 */
class FrozenWorkerIT {

  private static final int CHAMBERS = 30;
  private static final double EVENTS_PER_SECOND = 20;
  private static final String FROZEN = "defender-2";
  private static final Set<String> DEFENDERS = Set.of("defender-1", FROZEN, "defender-3");
  private static final Duration FROZEN_FOR = Duration.ofSeconds(15);

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void frozenWorkersChambersResumeElsewhereAndItsWakeUpBreaksNoGuarantee() throws InterruptedException {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    try (ProcessCluster cluster = ProcessCluster.create("frozen-worker", ClusterOptions.defaults().withWorkerSlots(3))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      DEFENDERS.forEach(cluster::startWorker);
      cluster.awaitSettled(DEFENDERS, seconds(90));
      NodeProcess frozen = cluster.worker(FROZEN);

      SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
      long frozenAt;
      long thawedAt;
      try (ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
        Await.until("every chamber has verdicts", seconds(60), () -> publisher.count() >= 3 * CHAMBERS);
        frozenAt = System.currentTimeMillis();
        frozen.freeze();
        cluster.awaitSettled(Set.of("defender-1", "defender-3"), seconds(60));
        Thread.sleep(Math.max(0, frozenAt + FROZEN_FOR.toMillis() - System.currentTimeMillis())); // the freeze's length
        frozen.thaw();
        thawedAt = System.currentTimeMillis();
        int countAtThaw = publisher.count();
        Await.until("15 s of traffic after the thaw", seconds(60),
            () -> publisher.count() >= countAtThaw + 15 * EVENTS_PER_SECOND);
        System.out.printf("live: frozen-worker: leader view without %s %s after the freeze; %s back in the view %s%n",
            FROZEN, timeline.first(frozenAt, view -> !view.chambersByDefender().containsKey(FROZEN))
                .map(s -> (s.at() - frozenAt) + " ms").orElse("never"),
            FROZEN, timeline.first(thawedAt, view -> view.chambersByDefender().containsKey(FROZEN))
                .map(s -> (s.at() - thawedAt) + " ms after the thaw").orElse("not within 15 s of the thaw"));
      } finally {
        publisher.stop();
      }
      assertTrue(frozen.isAlive(), FROZEN + " survived its freeze");

      AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(), seconds(90));
      System.out.println("live: frozen-worker: " + report.summary());
      System.out.println("live: frozen-worker: gateway retries by reason " + cluster.api().retriedByReason());
      Map<ChamberKey, Long> recovery = new TreeMap<>();
      report.ownersBefore(frozenAt).forEach((chamber, owner) -> {
        if (owner.equals(FROZEN)) {
          recovery.put(chamber, report.firstVerdictAfter(chamber, frozenAt, FROZEN)
              .map(v -> v.publishedAt() - frozenAt).orElse(-1L));
        }
      });
      System.out.printf("live: frozen-worker: recovery (freeze → first verdict by another defender) %s%n", recovery);
      System.out.printf("live: frozen-worker: handovers after the thaw: %s%n", report.handovers(thawedAt, Long.MAX_VALUE));
      assertTrue(report.clean(), report.summary());
      assertFalse(recovery.isEmpty(), FROZEN + " owned chambers when it froze");
      assertTrue(recovery.values().stream().allMatch(ms -> ms >= 0 && ms < FROZEN_FOR.toMillis()),
          "every chamber of the frozen defender resumed elsewhere while it was frozen: " + recovery);
    }
  }
}
