package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.EventPublisher;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.PublishedEvent;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.SteadyPublisher;
import io.chamberlain.system.live.VerdictAuditor;
import io.chamberlain.system.live.VerdictTap;
import io.chamberlain.testkit.TestTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario's traffic: the {@link VerdictTap} (the harness's clock for latency, started first so it
 * sees every verdict), an optional steady load ({@link SteadyPublisher}) and any number of bursts
 * ({@link EventPublisher#publishOneEach}: one event each for many chambers at once). At the end, {@link #audit}
 * checks every verdict against everything published and times every event. Closing stops both.
 */
final class Load implements AutoCloseable {

  /** The audit and the latencies of one run. */
  record Outcome(AuditReport report, Latencies latencies) {
  }

  private final VerdictTap tap;
  private final Optional<SteadyPublisher> publisher;
  private final double eventsPerSecond;
  private final int chambers;
  private final List<PublishedEvent> bursts = new ArrayList<>();
  private final String natsUrl;

  private Load(String natsUrl, VerdictTap tap, Optional<SteadyPublisher> publisher, double eventsPerSecond,
      int chambers) {
    this.natsUrl = natsUrl;
    this.tap = tap;
    this.publisher = publisher;
    this.eventsPerSecond = eventsPerSecond;
    this.chambers = chambers;
  }

  /** The tap and a steady load of {@code eventsPerSecond} round-robin over {@code chambers}. */
  static Load start(ProcessCluster cluster, List<ChamberKey> chambers, double eventsPerSecond) {
    VerdictTap tap = VerdictTap.start(cluster.natsUrl());
    try {
      return new Load(cluster.natsUrl(), tap, Optional.of(SteadyPublisher.start(cluster.natsUrl(), chambers,
          eventsPerSecond)), eventsPerSecond, chambers.size());
    } catch (RuntimeException e) {
      tap.close();
      throw e;
    }
  }

  /** The tap only: the scenario publishes bursts. */
  static Load bursts(ProcessCluster cluster) {
    return new Load(cluster.natsUrl(), VerdictTap.start(cluster.natsUrl()), Optional.empty(), 0, 0);
  }

  SteadyPublisher publisher() {
    return publisher.orElseThrow(() -> new IllegalStateException("this load has no steady publisher"));
  }

  VerdictTap tap() {
    return tap;
  }

  /** One event for each of {@code chambers}, as fast as the client can; returns them (also kept for the audit). */
  List<PublishedEvent> burst(List<ChamberKey> chambers) {
    List<PublishedEvent> published = EventPublisher.publishOneEach(natsUrl, chambers);
    synchronized (bursts) {
      bursts.addAll(published);
    }
    return published;
  }

  /** Stops the steady publisher (a trial of fixed length); what it published is still audited. */
  void stopPublishing() {
    publisher.ifPresent(SteadyPublisher::stop);
  }

  /** Waits until {@code seconds} more seconds' worth of steady events have been published (bounded, scaled). */
  void awaitTraffic(double seconds) {
    SteadyPublisher steady = publisher();
    int start = steady.count();
    Await.until(seconds + " s of traffic", TestTimeouts.scaled(Duration.ofMillis((long) (seconds * 5_000))),
        () -> steady.count() >= start + seconds * eventsPerSecond);
  }

  /**
   * Waits until every chamber of the steady load got {@code rounds} more events: it publishes
   * round-robin (a failed publish is retried before the next), so any {@code rounds} × chambers
   * consecutive events hold exactly {@code rounds} per chamber. Bounded (five times their time at
   * the load's rate, scaled).
   */
  void awaitRounds(int rounds) {
    SteadyPublisher steady = publisher();
    int start = steady.count();
    int events = rounds * chambers;
    Await.until(rounds + " rounds of traffic over " + chambers + " chambers (" + events + " events)",
        TestTimeouts.scaled(Duration.ofMillis((long) (events * 5_000 / eventsPerSecond))),
        () -> steady.count() >= start + events);
  }

  /** Waits until every chamber of {@code assignment} was last judged by its assigned owner (from the tap). */
  void awaitServing(Map<ChamberKey, String> assignment, Duration timeout) {
    Await.until("every chamber judged by its assigned owner", timeout,
        () -> !assignment.isEmpty() && tap.lastDefenderByChamber().entrySet().containsAll(assignment.entrySet()));
  }

  /**
   * Stops publishing, waits (bounded by {@code drainTimeout}) for a verdict per event, audits every
   * verdict against everything published, times every event, and records the standard columns.
   */
  Outcome audit(ProcessCluster cluster, ScenarioResult result, Duration drainTimeout) {
    publisher.ifPresent(SteadyPublisher::stop);
    List<PublishedEvent> all = new ArrayList<>(publisher.map(SteadyPublisher::published).orElse(List.of()));
    synchronized (bursts) {
      all.addAll(bursts);
    }
    AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(all, drainTimeout);
    Latencies latencies = Latencies.of(all, tap.receivedAt(), report.firstVerdicts());
    result.audited(report, tap.republished(), latencies.summary(), latencies.untapped());
    result.detail("defender-stamped latency (completedAt → publishedAt)", latencies.stampedSummary().shortText());
    try {
      result.detail("gateway retries by reason", cluster.api().retriedByReason());
    } catch (RuntimeException unanswered) {
      result.detail("gateway retries by reason", "unanswered: " + unanswered.getMessage());
    }
    return new Outcome(report, latencies);
  }

  Outcome audit(ProcessCluster cluster, ScenarioResult result) {
    return audit(cluster, result, TestTimeouts.seconds(60));
  }

  @Override
  public void close() {
    publisher.ifPresent(SteadyPublisher::close);
    tap.close();
  }
}
