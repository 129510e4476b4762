package io.chamberlain.worker.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * A defender's own Prometheus metrics, tagged with its id: how long its defense process takes per
 * event, what it published, refused and failed, and how often a chamber's state was warm in memory
 * when the chamber (re)started here.
 */
public final class WorkerMetrics {

  private final Timer defense;
  private final Counter verdicts;
  private final Counter duplicates;
  private final Counter failures;
  private final Timer handoff;
  private final MeterRegistry registry;
  private final String defenderId;
  /** Writes JetStream refused for a storage limit, by store and reason (the gateway's counter has the same name). */
  public static final String REFUSED = "chamberlain.jetstream.refused";
  public static final String REFUSED_DESCRIPTION =
      "writes JetStream refused because a storage limit is reached (stream or bucket limit, server store full); retried, never dropped";

  public WorkerMetrics(MeterRegistry registry, String defenderId, ChamberCache cache) {
    this.registry = registry;
    this.defenderId = defenderId;
    this.defense = Timer.builder("chamberlain.defense.duration").tag("defender", defenderId)
        .description("time the defense process took per event (judging, without publishing)")
        .publishPercentiles(0.5, 0.99).register(registry);
    this.verdicts = Counter.builder("chamberlain.verdicts.published").tag("defender", defenderId)
        .description("verdicts this defender published").register(registry);
    this.duplicates = Counter.builder("chamberlain.events.duplicate").tag("defender", defenderId)
        .description("events of contexts already judged, acknowledged without a second verdict").register(registry);
    this.failures = Counter.builder("chamberlain.events.failed").tag("defender", defenderId)
        .description("events this defender could not process (the gateway retries or dead-letters them)").register(registry);
    this.handoff = Timer.builder("chamberlain.handoff.duration").tag("defender", defenderId)
        .description("from a chamber leaving this defender to its release (its event in flight finished or cut off)")
        .publishPercentiles(0.5, 0.99).register(registry);
    FunctionCounter.builder("chamberlain.chamber.activations", cache, ChamberCache::hits).tag("defender", defenderId)
        .tag("state", "warm").description("chambers whose state was still in memory when they started here")
        .register(registry);
    FunctionCounter.builder("chamberlain.chamber.activations", cache, ChamberCache::misses).tag("defender", defenderId)
        .tag("state", "loaded").description("chambers whose state had to be loaded from KV when they started here")
        .register(registry);
  }

  /** Metrics registered nowhere (tests of parts that record them). */
  public static WorkerMetrics unregistered(ChamberCache cache) {
    return new WorkerMetrics(new SimpleMeterRegistry(), "unregistered", cache);
  }

  public void judged(long nanos) {
    defense.record(Duration.ofNanos(nanos));
  }

  /** The 99th percentile of the defense time over the timer's last minute or so, in ms (0 with no events). */
  public double defenseP99Millis() {
    for (var value : defense.takeSnapshot().percentileValues()) {
      if (value.percentile() == 0.99) {
        return value.value(java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    return 0;
  }

  public void published() {
    verdicts.increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void handedOff(long nanos) {
    handoff.record(Duration.ofNanos(nanos));
  }

  public void failed() {
    failures.increment();
  }

  /** A write JetStream refused for a storage limit ({@link io.chamberlain.nats.StorageLimitException}); the event is retried. */
  public void refused(String store, String reason) {
    Counter.builder(REFUSED).tag("defender", defenderId).tag("store", store).tag("reason", reason)
        .description(REFUSED_DESCRIPTION).register(registry).increment();
  }
}
