package io.chamberlain.worker.runtime;

import io.chamberlain.domain.ChamberKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measured cost per chamber: an exponentially weighted moving average of the defense process's
 * time per context, in milliseconds. Reported in heartbeats so the leader can weigh chambers by
 * observed cost ({@code leader.weightSource} = observed | blend).
 */
public final class CostMeter {

  /** Weight of the newest measurement. */
  static final double ALPHA = 0.2;

  private final ConcurrentHashMap<ChamberKey, Double> millis = new ConcurrentHashMap<>();

  public void record(ChamberKey chamber, long nanos) {
    double measured = nanos / 1e6;
    millis.merge(chamber, measured, (old, now) -> old + ALPHA * (now - old));
  }

  /** Costs of the given chambers that have been measured, by {@code tool:chamber}. */
  public Map<String, Double> of(Iterable<ChamberKey> chambers) {
    Map<String, Double> costs = new TreeMap<>();
    for (ChamberKey chamber : chambers) {
      Double cost = millis.get(chamber);
      if (cost != null) {
        costs.put(chamber.toString(), cost);
      }
    }
    return costs;
  }
}
