package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.SteadyPublisher;
import io.chamberlain.system.live.VerdictAuditor;
import io.chamberlain.system.live.VerdictTap;
import io.chamberlain.testkit.TestTimeouts;
import java.time.Duration;
import java.util.List;

/**
 * A scenario's steady load: completion events at a fixed rate ({@link SteadyPublisher}) and the
 * {@link VerdictTap} counting every verdict publish, started in that order so the tap sees all of
 * them. At the end, {@link #audit} checks every verdict against what was published. Closing stops
 * both.
 */
final class Load implements AutoCloseable {

  private final VerdictTap tap;
  private final SteadyPublisher publisher;
  private final double eventsPerSecond;

  private Load(VerdictTap tap, SteadyPublisher publisher, double eventsPerSecond) {
    this.tap = tap;
    this.publisher = publisher;
    this.eventsPerSecond = eventsPerSecond;
  }

  static Load start(ProcessCluster cluster, List<ChamberKey> chambers, double eventsPerSecond) {
    VerdictTap tap = VerdictTap.start(cluster.natsUrl());
    try {
      return new Load(tap, SteadyPublisher.start(cluster.natsUrl(), chambers, eventsPerSecond), eventsPerSecond);
    } catch (RuntimeException e) {
      tap.close();
      throw e;
    }
  }

  SteadyPublisher publisher() {
    return publisher;
  }

  /** Waits until {@code seconds} more seconds' worth of events have been published (bounded, scaled). */
  void awaitTraffic(double seconds) {
    int start = publisher.count();
    Await.until(seconds + " s of traffic", TestTimeouts.scaled(Duration.ofMillis((long) (seconds * 5_000))),
        () -> publisher.count() >= start + seconds * eventsPerSecond);
  }

  /** Stops publishing, audits every verdict against what was published, records the audit in {@code result}. */
  AuditReport audit(ProcessCluster cluster, ScenarioResult result) {
    publisher.stop();
    AuditReport report = new VerdictAuditor(cluster.natsUrl()).awaitAndAudit(publisher.published(),
        TestTimeouts.seconds(60));
    result.audited(report, tap.republished());
    result.detail("gateway retries by reason", cluster.api().retriedByReason());
    return report;
  }

  @Override
  public void close() {
    publisher.close();
    tap.close();
  }
}
