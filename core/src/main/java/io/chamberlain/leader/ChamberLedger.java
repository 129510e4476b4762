package io.chamberlain.leader;

import io.chamberlain.assign.ChamberWeights;
import io.chamberlain.assign.ObservedWeights;
import io.chamberlain.capacity.CapacityPlanner;
import io.chamberlain.domain.ChamberKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What the leader knows of each chamber beyond the weight it balances: the formula weight of its
 * profile, and what its defenders measured (milliseconds per context, contexts per second, from
 * heartbeats). From these it decides which weights to change ({@link ObservedWeights}, by the
 * configured {@link ChamberWeights} policy) and what the measured work needs
 * ({@link CapacityPlanner}). Pure and single-threaded: the leader's adapter feeds it and carries
 * out what it returns. Not persisted: a new leader measures again within a few heartbeats.
 */
public final class ChamberLedger {

  private final Map<ChamberKey, Double> formulaWeights = new HashMap<>();
  private final Map<ChamberKey, Double> measuredMillis = new HashMap<>();
  private final Map<ChamberKey, Double> measuredRates = new HashMap<>();

  /** The chamber's profile weighs {@code weight} by the formula (a catalog entry, an operator's change, or the default). */
  public void formula(ChamberKey chamber, double weight) {
    formulaWeights.put(chamber, weight);
  }

  /** The chamber is gone: nothing of it is kept. */
  public void forget(ChamberKey chamber) {
    formulaWeights.remove(chamber);
    measuredMillis.remove(chamber);
    measuredRates.remove(chamber);
  }

  /** A defender's newest measurements of its chambers (each replaces the one before). */
  public void measured(Map<ChamberKey, Double> millisPerContext, Map<ChamberKey, Double> contextsPerSecond) {
    measuredMillis.putAll(millisPerContext);
    measuredRates.putAll(contextsPerSecond);
  }

  public Optional<Double> formulaWeight(ChamberKey chamber) {
    return Optional.ofNullable(formulaWeights.get(chamber));
  }

  public Optional<Double> observedMillisPerContext(ChamberKey chamber) {
    return Optional.ofNullable(measuredMillis.get(chamber));
  }

  /**
   * The chambers whose weight under {@code policy} moved significantly from {@code current} (the
   * weights balanced now), with their new weight; to be registered again, counted at the next
   * rebalance. Empty with the formula-only policy.
   */
  public SortedMap<ChamberKey, Double> weightChanges(ChamberWeights policy, Map<ChamberKey, Double> current) {
    return ObservedWeights.changed(policy, formulaWeights, measuredMillis, current);
  }

  /** The measured load of each of {@code chambers} with both a rate and a cost measured, for the capacity plan. */
  public Map<ChamberKey, CapacityPlanner.ChamberLoad> loads(Iterable<ChamberKey> chambers) {
    Map<ChamberKey, CapacityPlanner.ChamberLoad> loads = new HashMap<>();
    for (ChamberKey chamber : chambers) {
      Double rate = measuredRates.get(chamber);
      Double millis = measuredMillis.get(chamber);
      if (rate != null && millis != null) {
        loads.put(chamber, new CapacityPlanner.ChamberLoad(rate, millis));
      }
    }
    return loads;
  }
}
