package io.chamberlain.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway measures for every event: end-to-end latency (completion published → verdict
 * published) as a timer with a histogram (aggregates across gateways in Prometheus) and recent
 * percentiles (for {@code /api/stats}), SLA breaches, retries and dead letters by reason.
 */
final class GatewayMetrics {

  static final String LATENCY = "chamberlain.verdict.latency";
  static final String SLA_BREACHES = "chamberlain.sla.breaches";
  static final String PROCESSED = "chamberlain.events.processed";
  static final String RECEIVED = "chamberlain.events.received";
  static final String RETRIED = "chamberlain.events.retried";
  static final String REPLAYED = "chamberlain.events.replayed";
  static final String DEAD_LETTERED = "chamberlain.events.dead.lettered";
  /** Same name and tags as the defenders' counter (WorkerMetrics.REFUSED), so one query sums both. */
  static final String REFUSED = "chamberlain.jetstream.refused";

  private final MeterRegistry registry;
  private final Duration sla;
  private final Timer latency;
  private final Counter breaches;
  private final Counter processed;
  private final Counter received;

  GatewayMetrics(MeterRegistry registry, Duration sla) {
    this.registry = registry;
    this.sla = sla;
    this.latency = Timer.builder(LATENCY)
        .description("completion published (completedAt) to verdict published")
        .publishPercentiles(0.5, 0.95, 0.99)
        .publishPercentileHistogram()
        .serviceLevelObjectives(sla)
        .distributionStatisticExpiry(Duration.ofMinutes(1))
        .register(registry);
    this.breaches = Counter.builder(SLA_BREACHES)
        .description("verdicts published later than the SLA after completion").register(registry);
    this.processed = Counter.builder(PROCESSED).description("events acked after their verdict").register(registry);
    this.received = Counter.builder(RECEIVED)
        .description("completion events pulled from JetStream (redeliveries included)").register(registry);
  }

  /** @return whether the verdict breached the SLA */
  boolean verdictPublished(long completedAt, long publishedAt) {
    long millis = Math.max(0, publishedAt - completedAt);
    latency.record(millis, TimeUnit.MILLISECONDS);
    processed.increment();
    if (millis > sla.toMillis()) {
      breaches.increment();
      return true;
    }
    return false;
  }

  void received() {
    received.increment();
  }

  /** A redelivered event whose verdict had been published before: acked, no second verdict. */
  void replayAcknowledged() {
    registry.counter(REPLAYED).increment();
  }

  void retried(String reason) {
    registry.counter(RETRIED, "reason", reason).increment();
  }

  void deadLettered(String reason) {
    registry.counter(DEAD_LETTERED, "reason", reason).increment();
  }

  /** A write to {@code store} JetStream refused for a storage limit; the event stays un-acked and comes again. */
  void refused(String store, String reason) {
    Counter.builder(REFUSED).tag("store", store).tag("reason", reason)
        .description("writes JetStream refused because a storage limit is reached; retried, never dropped")
        .register(registry).increment();
  }

  JsonObject snapshot() {
    HistogramSnapshot snapshot = latency.takeSnapshot();
    JsonObject percentiles = new JsonObject();
    for (ValueAtPercentile value : snapshot.percentileValues()) {
      percentiles.put("p" + Math.round(value.percentile() * 100), value.value(TimeUnit.MILLISECONDS));
    }
    return new JsonObject()
        .put("processed", (long) processed.count())
        .put("slaBreaches", (long) breaches.count())
        .put("slaMillis", sla.toMillis())
        .put("latencyMillis", percentiles.put("max", snapshot.max(TimeUnit.MILLISECONDS))
            .put("mean", snapshot.mean(TimeUnit.MILLISECONDS)))
        .put("retried", sum(RETRIED))
        .put("deadLettered", sum(DEAD_LETTERED));
  }

  private long sum(String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
