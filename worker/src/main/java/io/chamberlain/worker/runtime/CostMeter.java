package io.chamberlain.worker.runtime;

import io.chamberlain.domain.ChamberKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Measured load per chamber, reported in heartbeats: an exponentially weighted moving average of
 * the defense process's time per context (ms) — so the leader can weigh chambers by observed cost
 * ({@code leader.weightSource} = observed | blend) — and of the time between its contexts, its
 * arrival rate, so the leader can tell how many defenders the fab's work needs.
 */
public final class CostMeter {

  /** Weight of the newest measurement. */
  static final double ALPHA = 0.2;

  /** @param intervalMillis the mean time between contexts, NaN until a second one came */
  private record Meter(double millis, double intervalMillis, long lastAtMillis) {
  }

  private final ConcurrentHashMap<ChamberKey, Meter> meters = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  public CostMeter() {
    this(System::currentTimeMillis);
  }

  /** @param clock milliseconds, for the arrival rate */
  public CostMeter(LongSupplier clock) {
    this.clock = clock;
  }

  public void record(ChamberKey chamber, long nanos) {
    double measured = nanos / 1e6;
    long now = clock.getAsLong();
    meters.merge(chamber, new Meter(measured, Double.NaN, now), (old, fresh) -> {
      double interval = Math.max(0, now - old.lastAtMillis());
      return new Meter(old.millis() + ALPHA * (measured - old.millis()),
          Double.isNaN(old.intervalMillis()) ? interval : old.intervalMillis() + ALPHA * (interval - old.intervalMillis()),
          now);
    });
  }

  /** Costs of the given chambers that have been measured, by {@code tool:chamber}. */
  public Map<String, Double> of(Iterable<ChamberKey> chambers) {
    Map<String, Double> costs = new TreeMap<>();
    for (ChamberKey chamber : chambers) {
      Meter meter = meters.get(chamber);
      if (meter != null) {
        costs.put(chamber.toString(), meter.millis());
      }
    }
    return costs;
  }

  /**
   * Contexts per second of the given chambers that have had two or more, by {@code tool:chamber}. A
   * chamber silent for longer than its mean interval counts at one context per silence so far, so a
   * chamber that stopped fades out instead of keeping its last rate.
   */
  public Map<String, Double> ratesOf(Iterable<ChamberKey> chambers) {
    long now = clock.getAsLong();
    Map<String, Double> rates = new TreeMap<>();
    for (ChamberKey chamber : chambers) {
      Meter meter = meters.get(chamber);
      if (meter != null && !Double.isNaN(meter.intervalMillis())) {
        double interval = Math.max(meter.intervalMillis(), now - meter.lastAtMillis());
        rates.put(chamber.toString(), interval <= 0 ? 0 : 1_000.0 / interval);
      }
    }
    return rates;
  }
}
