package io.chamberlain.system.live;

import static io.chamberlain.system.live.Timeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale out and in on real processes under steady load (20 events/s over 30 chambers):
 * 3 → 6 workers (three JVMs started at once), then 6 → 2 the operator's way: four drained at once
 * (their chambers move while they still run), then stopped with SIGTERM (each leaves gracefully).
 *
 * <p>Checked: every event exactly one verdict, per-chamber order, exclusive ownership across all
 * the handovers (the audit); the cluster settles after each step; stopped workers exit on their own.
 * Measured and logged: time to settle after each step, chambers moved in each step (and how many of
 * them moved between defenders that stayed — minimal movement would make that 0), the longest time
 * a chamber went without a verdict during scale-in, latency.
 */
class ScaleIT {

  private static final int CHAMBERS = 30;
  private static final double EVENTS_PER_SECOND = 20;
  private static final List<String> INITIAL = List.of("defender-1", "defender-2", "defender-3");
  private static final List<String> ADDED = List.of("defender-4", "defender-5", "defender-6");
  private static final List<String> STOPPED = List.of("defender-1", "defender-2", "defender-4", "defender-5");
  private static final Set<String> REMAINING = Set.of("defender-3", "defender-6");

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void scaleOutThenInLosesNothingAndKeepsOrder() {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    try (ProcessCluster cluster = ProcessCluster.create("scale", ClusterOptions.defaults().withWorkerSlots(6))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      INITIAL.forEach(cluster::startWorker);
      cluster.awaitSettled(Set.copyOf(INITIAL), seconds(90));

      SteadyPublisher publisher = SteadyPublisher.start(cluster.natsUrl(), chambers, EVENTS_PER_SECOND);
      long scaledOutAt;
      long scaledInAt;
      long endAt;
      try {
        awaitTraffic(publisher, 3);
        scaledOutAt = System.currentTimeMillis();
        ADDED.forEach(cluster::startWorker);
        cluster.awaitSettled(union(INITIAL, ADDED), seconds(120));
        System.out.printf("live: scale: 3 → 6 settled %d ms after the starts%n", System.currentTimeMillis() - scaledOutAt);
        awaitTraffic(publisher, 3);

        scaledInAt = System.currentTimeMillis();
        // The operator's scale-down: drain (chambers move while the defenders still run), then stop.
        STOPPED.forEach(id -> cluster.api().drain(id));
        cluster.awaitSettled(REMAINING, seconds(60));
        System.out.printf("live: scale: drained %s %d ms after the drain%n", STOPPED, System.currentTimeMillis() - scaledInAt);
        STOPPED.forEach(id -> cluster.worker(id).terminate());
        for (String id : STOPPED) {
          int exit = cluster.worker(id).awaitExit(seconds(40));
          System.out.printf("live: scale: %s exited with %d %d ms after SIGTERM%n", id, exit,
              System.currentTimeMillis() - scaledInAt);
        }
        cluster.awaitSettled(REMAINING, seconds(60));
        System.out.printf("live: scale: 6 → 2 settled %d ms after SIGTERM%n", System.currentTimeMillis() - scaledInAt);
        awaitTraffic(publisher, 5);
        endAt = System.currentTimeMillis();
      } finally {
        publisher.stop();
      }

      AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(), seconds(60));
      System.out.println("live: scale: " + report.summary());
      logStep("3 → 6", report.handovers(scaledOutAt, scaledInAt), Set.copyOf(INITIAL));
      logStep("6 → 2", report.handovers(scaledInAt, Long.MAX_VALUE), REMAINING);
      long longestGap = chambers.stream().mapToLong(c -> report.longestGapMillis(c, scaledInAt, endAt)).max().orElse(0);
      System.out.printf("live: scale: longest time a chamber went without a verdict during scale-in %d ms"
          + " (an event per chamber every %d ms); max latency %d ms%n",
          longestGap, (long) (1000 * CHAMBERS / EVENTS_PER_SECOND), report.maxLatencyMillis());
      System.out.println("live: scale: gateway retries by reason " + cluster.api().retriedByReason());
      assertTrue(report.clean(), report.summary());
    }
  }

  private static void awaitTraffic(SteadyPublisher publisher, int seconds) {
    int start = publisher.count();
    Await.until(seconds + " s of traffic", Timeouts.seconds(seconds * 5L),
        () -> publisher.count() >= start + seconds * EVENTS_PER_SECOND);
  }

  /** Logs a step's handovers and how many went between two defenders that both stayed. */
  private static void logStep(String step, List<AuditReport.Handover> handovers, Set<String> stayed) {
    long betweenStayers = handovers.stream().filter(h -> stayed.contains(h.from()) && stayed.contains(h.to())).count();
    System.out.printf("live: scale: %s moved %d chambers (%d between defenders that stayed): %s%n", step,
        handovers.size(), betweenStayers, handovers.stream()
            .map(h -> h.chamber() + " " + h.from() + "→" + h.to()).collect(Collectors.joining(", ")));
  }

  private static Set<String> union(List<String> first, List<String> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).collect(Collectors.toSet());
  }
}
