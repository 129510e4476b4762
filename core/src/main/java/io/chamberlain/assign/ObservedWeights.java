package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns measured defense times into chamber weights the engine can balance. Milliseconds are not
 * data points, so they are calibrated fleet-wide: {@code points per ms = Σ formula weight / Σ
 * measured ms} over the chambers measured so far; a chamber's observed weight is its measured ms
 * times that factor. {@link ChamberWeights} then picks formula, observed or a blend. Pure.
 */
public final class ObservedWeights {

  /** Weight changes smaller than this share are not worth a re-registration. */
  public static final double SIGNIFICANT_CHANGE = 0.10;

  private ObservedWeights() {
  }

  /**
   * @param formulaWeights every chamber's formula weight (profile)
   * @param measuredMillis measured ms per context, for the chambers measured so far
   * @param current the weights the leader balances now
   * @return the chambers whose weight changed significantly, with their new weight
   */
  public static SortedMap<ChamberKey, Double> changed(ChamberWeights policy, Map<ChamberKey, Double> formulaWeights,
      Map<ChamberKey, Double> measuredMillis, Map<ChamberKey, Double> current) {
    SortedMap<ChamberKey, Double> changed = new TreeMap<>();
    if (policy.source() == WeightSource.FORMULA) {
      return changed;
    }
    double formulaSum = 0;
    double millisSum = 0;
    for (Map.Entry<ChamberKey, Double> measured : measuredMillis.entrySet()) {
      Double formula = formulaWeights.get(measured.getKey());
      if (formula != null && measured.getValue() > 0) {
        formulaSum += formula;
        millisSum += measured.getValue();
      }
    }
    if (millisSum <= 0) {
      return changed;
    }
    double pointsPerMilli = formulaSum / millisSum;
    for (Map.Entry<ChamberKey, Double> formula : new TreeMap<>(formulaWeights).entrySet()) {
      ChamberKey chamber = formula.getKey();
      Double millis = measuredMillis.get(chamber);
      OptionalDouble observed = millis == null ? OptionalDouble.empty() : OptionalDouble.of(millis * pointsPerMilli);
      double weight = policy.weightOf(profileWithWeight(chamber, formula.getValue()), observed);
      Double now = current.get(chamber);
      if (now == null || Math.abs(weight - now) > SIGNIFICANT_CHANGE * now) {
        changed.put(chamber, weight);
      }
    }
    return changed;
  }

  /** A profile whose formula weight is {@code weight} (only the weight matters to the policy). */
  private static ChamberProfile profileWithWeight(ChamberKey chamber, double weight) {
    return new ChamberProfile(chamber, 1, 1, Math.max(weight, Double.MIN_NORMAL));
  }
}
