package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.ChamberCatalogFile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.PublishedEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cold start with a backlog (issue 8, part 4): both gateways run, no defender does, and an
 * independent client publishes one event for each of {@link #CHAMBERS} catalog chambers; then 4
 * workers start, one per second. The catalog lists the chambers (a fab restarting with its chamber
 * file; {@code new-chambers-6000} is the first start without one).
 *
 * <p><b>First defender ready</b> = the first sample of {@code GET /api/cluster} (every 100 ms) that
 * lists a defender as {@code LIVE}: the leader has its heartbeat and may give it chambers — the
 * moment the product can start draining, observable from outside. Reported: ready → last verdict
 * (tap clock), the drain rate (events / (last verdict − ready)), and how many events were judged
 * later than 5 s after ready. Invariants: the audit (nothing lost, exactly once); every chamber owned
 * by the 4 at the end. Target: 0 events judged later than ready + 5 s.
 */
public final class ColdBacklogScenario extends LiveScenario {

  private static final int CHAMBERS = 6_000;
  private static final List<String> DEFENDERS = defenders(4);
  private static final long SLA_AFTER_READY_MILLIS = 5_000;

  public ColdBacklogScenario(Profile profile) {
    super(profile, "cold-backlog-6000", "6,000 events over 6,000 chambers published with no defender; then 4 "
        + "workers start one per second", "31 s to operational (nothing processed before)",
        "classic: nothing processed until 5 s after the last join", "all judged ≤ 5 s after the first defender is ready");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(2).withWorkerSlots(DEFENDERS.size());
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws InterruptedException {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(CHAMBERS);
    startCluster(cluster, chambers, List.of());
    try (Load load = Load.bursts(cluster);
        ClusterTimeline timeline = ClusterTimeline.start(cluster.api())) {
      List<PublishedEvent> backlog = load.burst(chambers);
      result.detail("backlog published", backlog.size() + " events");
      long firstStartAt = System.currentTimeMillis();
      for (int i = 0; i < DEFENDERS.size(); i++) {
        if (i > 0) {
          Thread.sleep(1_000); // the scenario's pacing (one start per second), not synchronisation
        }
        cluster.startWorker(DEFENDERS.get(i));
      }
      cluster.awaitSettled(Set.copyOf(DEFENDERS), seconds(180));
      Load.Outcome outcome = load.audit(cluster, result, seconds(180));

      long readyAt = timeline.first(firstStartAt, view -> view.defenders().values().stream()
          .anyMatch(d -> "LIVE".equals(d.status()))).orElseThrow(() -> new IllegalStateException(
              "the timeline never saw a LIVE defender")).at();
      Collection<Long> received = load.tap().receivedAt().values();
      long firstVerdict = received.stream().mapToLong(Long::longValue).min().orElse(-1);
      long lastVerdict = received.stream().mapToLong(Long::longValue).max().orElse(-1);
      long late = received.stream().filter(at -> at > readyAt + SLA_AFTER_READY_MILLIS).count();
      double drainSeconds = Math.max(1, lastVerdict - readyAt) / 1000.0;
      result.detail("first start → first defender LIVE (ms)", readyAt - firstStartAt);
      result.recovery("ready → last verdict", (lastVerdict - readyAt) + " ms");
      result.recovery("ready → first verdict", (firstVerdict - readyAt) + " ms");
      result.recovery("drain rate", String.format("%.0f events/s", received.size() / drainSeconds));
      result.recovery("judged later than ready + 5 s", Long.toString(late));
      result.invariant("every chamber owned by the " + DEFENDERS.size() + " defenders at the end",
          homes(cluster).owners().keySet().containsAll(chambers), "some chambers unowned");
      result.target("every backlog event judged ≤ 5 s after the first defender was ready", late == 0
          && received.size() >= backlog.size(), late + " judged later, " + received.size() + " of " + backlog.size()
          + " verdicts seen");
      result.detail("verdicts by defender", byDefender(outcome));
    }
  }

  private static Map<String, Long> byDefender(Load.Outcome outcome) {
    return outcome.report().firstVerdicts().values().stream().collect(java.util.stream.Collectors.groupingBy(
        io.chamberlain.system.live.Verdict::defender, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }
}
