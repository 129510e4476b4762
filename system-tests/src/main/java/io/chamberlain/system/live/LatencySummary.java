package io.chamberlain.system.live;

import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * Latency of a set of events: how many, how many breached the 5 s SLA (strictly more than
 * {@link #SLA_MILLIS}), and p50 / p99 / max. Percentiles come from an HdrHistogram (3 significant
 * digits: exact below 2,048 ms, within 0.1 % above); count, breaches and max are exact.
 */
public record LatencySummary(long count, long breaches, long p50, long p99, long max) {

  /** DESIGN.md: every completion event judged within 5 s. */
  public static final long SLA_MILLIS = 5_000;

  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

  /** Builds a summary from latencies in ms (negative values, from clock skew, count as 0). */
  public static LatencySummary of(long... latencies) {
    Builder builder = new Builder();
    for (long latency : latencies) {
      builder.accept(latency);
    }
    return builder.build();
  }

  /** "p50 12 / p99 48 / max 210 ms". */
  public String shortText() {
    return count == 0 ? "no events" : "p50 " + p50 + " / p99 " + p99 + " / max " + max + " ms";
  }

  /** Collects latencies one by one. */
  public static final class Builder implements LongConsumer {
    private final Histogram histogram = new Histogram(3);
    private long count;
    private long breaches;
    private long max;

    @Override
    public void accept(long latencyMillis) {
      long value = Math.max(0, latencyMillis);
      histogram.recordValue(value);
      count++;
      breaches += value > SLA_MILLIS ? 1 : 0;
      max = Math.max(max, value);
    }

    public LatencySummary build() {
      if (count == 0) {
        return EMPTY;
      }
      return new LatencySummary(count, breaches, Math.min(max, histogram.getValueAtPercentile(50)),
          Math.min(max, histogram.getValueAtPercentile(99)), max);
    }
  }
}
