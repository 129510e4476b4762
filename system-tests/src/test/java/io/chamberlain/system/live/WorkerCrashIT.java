package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A defender process dies by SIGKILL under steady load (1 gateway, 3 workers, 20 events/s over 30
 * chambers), on real processes: no shutdown hook runs, its sockets are reset by the kernel.
 *
 * <p>Checked: every published event gets exactly one verdict, in per-chamber order, with exclusive
 * ownership (the audit); the victim's chambers resume on survivors; no chamber of a survivor moves.
 * Measured and logged: recovery time per victim chamber (kill → its first verdict by a survivor) and
 * how long the leader took to show the victim gone. Today's leader declares a defender dead after
 * {@code leader.defenderTimeoutMillis} (3 s here), so the recovery bound asserted is generous; the
 * design target (≤ 2 s) is a benchmark, not an assertion.
 */
class WorkerCrashIT {

  private static final int CHAMBERS = 30;
  private static final double EVENTS_PER_SECOND = 20;
  private static final String VICTIM = "defender-2";
  private static final Set<String> DEFENDERS = Set.of("defender-1", VICTIM, "defender-3");

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void killedWorkersChambersResumeOnSurvivorsAndNoOtherChamberMoves() {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    try (ProcessCluster cluster = ProcessCluster.create("worker-crash", ClusterOptions.defaults().withWorkerSlots(3))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      DEFENDERS.forEach(cluster::startWorker);
      cluster.awaitSettled(DEFENDERS, seconds(90));
      VerdictAuditor auditor = new VerdictAuditor(cluster.natsUrl());

      SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
      long killedAt;
      int publishedAtKill;
      try {
        Await.until("a verdict for every chamber", seconds(60),
            () -> auditor.readAll().stream().map(Verdict::chamber).distinct().count() == CHAMBERS);
        Await.until(VICTIM + " published a verdict within the last 300 ms", seconds(30), () -> auditor.readAll()
            .stream().anyMatch(v -> v.defender().equals(VICTIM) && System.currentTimeMillis() - v.publishedAt() < 300));
        killedAt = System.currentTimeMillis();
        publishedAtKill = publisher.count();
        cluster.worker(VICTIM).kill9();
        assertEquals(NodeProcess.EXIT_SIGKILL, cluster.worker(VICTIM).awaitExit(seconds(10)));
        cluster.awaitSettled(Set.of("defender-1", "defender-3"), seconds(60));
        long declaredDeadAfter = System.currentTimeMillis() - killedAt;
        Await.until("10 s of traffic after the kill", seconds(60),
            () -> publisher.count() >= publishedAtKill + 10 * EVENTS_PER_SECOND);
        System.out.printf("live: worker-crash: leader showed %s gone %d ms after the kill%n", VICTIM, declaredDeadAfter);
      } finally {
        publisher.stop();
      }

      AuditReport report = auditor.awaitAndAudit(publisher.published(), seconds(60));
      System.out.println("live: worker-crash: " + report.summary());
      System.out.println("live: worker-crash: gateway retries by reason " + cluster.api().retriedByReason());
      assertTrue(report.clean(), report.summary());

      Map<ChamberKey, String> ownersAtKill = report.ownersBefore(killedAt);
      assertEquals(CHAMBERS, ownersAtKill.size(), "every chamber had a verdict before the kill");
      Set<ChamberKey> victimChambers = new TreeSet<>();
      ownersAtKill.forEach((chamber, owner) -> {
        if (owner.equals(VICTIM)) {
          victimChambers.add(chamber);
        }
      });
      assertFalse(victimChambers.isEmpty(), VICTIM + " owned chambers when it was killed");
      Set<ChamberKey> movedAfterKill = new TreeSet<>();
      report.handovers(killedAt, Long.MAX_VALUE).forEach(handover -> movedAfterKill.add(handover.chamber()));
      assertEquals(victimChambers, movedAfterKill, "exactly the victim's chambers moved after the kill");
      assertRecovered(report, victimChambers, killedAt);
      System.out.printf("live: worker-crash: %d published, %d of %d chambers moved (all %s's), max latency %d ms%n",
          report.published(), report.movedChambers().size(), CHAMBERS, VICTIM, report.maxLatencyMillis());
    }
  }

  /** Each victim chamber's first verdict by a survivor; logs every recovery time, asserts a generous bound. */
  private static void assertRecovered(AuditReport report, Set<ChamberKey> victimChambers, long killedAt) {
    Map<ChamberKey, Long> recovery = new TreeMap<>();
    for (ChamberKey chamber : victimChambers) {
      Verdict first = report.firstVerdictAfter(chamber, killedAt, VICTIM)
          .orElseThrow(() -> new AssertionError(chamber + " never resumed on a survivor"));
      recovery.put(chamber, first.publishedAt() - killedAt);
    }
    long worst = recovery.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    long best = recovery.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    System.out.printf("live: worker-crash: recovery (kill → first verdict by a survivor) min %d ms, max %d ms over %d chambers: %s%n",
        best, worst, recovery.size(), recovery);
    assertTrue(worst < seconds(30).toMillis(), "victim chambers resumed within 30 s (scaled); worst " + worst + " ms");
  }
}
