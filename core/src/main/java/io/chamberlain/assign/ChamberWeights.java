package io.chamberlain.assign;

import io.chamberlain.domain.ChamberProfile;
import java.util.OptionalDouble;

/**
 * Computes the weight the engine balances for one chamber.
 *
 * <p>Observed cost must already be in weight units (data points per context, e.g. measured
 * milliseconds × a fleet-wide points-per-millisecond calibration), so that formula and observed
 * weights are comparable and can be blended.
 *
 * @param source which signal to use
 * @param observedShare for {@link WeightSource#BLEND}: the share of the observed cost, in [0, 1]
 */
public record ChamberWeights(WeightSource source, double observedShare) {

  public static final double DEFAULT_OBSERVED_SHARE = 0.5;
  public static final ChamberWeights FORMULA_ONLY = new ChamberWeights(WeightSource.FORMULA, DEFAULT_OBSERVED_SHARE);

  public ChamberWeights {
    if (source == null) {
      throw new IllegalArgumentException("weight source is missing");
    }
    if (!(observedShare >= 0) || observedShare > 1) {
      throw new IllegalArgumentException("observed share must be in [0, 1], was " + observedShare);
    }
  }

  /**
   * @param observedCost the measured cost per context in weight units, if any (must be ≥ 0)
   * @return the weight, > 0
   */
  public double weightOf(ChamberProfile profile, OptionalDouble observedCost) {
    double formula = profile.weight();
    if (source == WeightSource.FORMULA || observedCost.isEmpty()) {
      return formula;
    }
    double observed = observedCost.getAsDouble();
    if (!(observed >= 0) || Double.isInfinite(observed)) {
      throw new IllegalArgumentException(
          "chamber " + profile.chamber() + ": observed cost must be ≥ 0 and finite, was " + observed);
    }
    double weight = source == WeightSource.OBSERVED
        ? observed
        : observedShare * observed + (1 - observedShare) * formula;
    // A chamber that cost nothing so far still has to be owned; never let its weight reach 0.
    return Math.max(weight, Math.ulp(formula));
  }
}
