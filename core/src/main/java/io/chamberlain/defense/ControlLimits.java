package io.chamberlain.defense;

import java.util.Arrays;

/**
 * Per-chart centre and spread, learned from the chamber's own history.
 *
 * <p>Warm-up: the first {@code warmupContexts} contexts are averaged with Welford's algorithm
 * (centre = mean, spread = population variance); no chart can judge before that. Then each new
 * in-control value ({@code |z| ≤ k}) moves them by an EWMA with weight λ:
 * {@code centre += λ(x − centre)}, {@code var = (1 − λ)(var + λ(x − centre_old)²)}. Out-of-control
 * values are not learned, so a fault cannot widen its own limits; a real, lasting process change
 * therefore keeps alarming until someone resets the chamber's limits, as in classic SPC.
 *
 * <p>Sigma has a floor of {@code 1e-6 × max(1, |centre|)}: a perfectly constant signal (a held
 * setpoint) would otherwise turn float rounding into infinite z.
 */
public final class ControlLimits {

  private final double[] centre;
  /** Sum of squared deviations (Welford M2) while warming up, variance afterwards. */
  private final double[] spread;
  private int learnedContexts;

  public ControlLimits(int seriesCount) {
    this(new double[seriesCount], new double[seriesCount], 0);
  }

  ControlLimits(double[] centre, double[] spread, int learnedContexts) {
    if (centre.length != spread.length || learnedContexts < 0) {
      throw new IllegalArgumentException("control limits need matching arrays and a non-negative count");
    }
    this.centre = centre;
    this.spread = spread;
    this.learnedContexts = learnedContexts;
  }

  public int seriesCount() {
    return centre.length;
  }

  /** Contexts learned so far: the warm-up, then every judged one (saturating). */
  public int learnedContexts() {
    return learnedContexts;
  }

  public boolean warm(int warmupContexts) {
    return learnedContexts >= warmupContexts;
  }

  public double centre(int series) {
    return centre[series];
  }

  /** Only meaningful once warm. */
  public double sigma(int series) {
    return Math.max(Math.sqrt(spread[series]), 1e-6 * Math.max(1, Math.abs(centre[series])));
  }

  public double standardize(int series, double value) {
    return (value - centre[series]) / sigma(series);
  }

  /** Warm-up step: every chart learns its value of this context. */
  public void learnWarmup(IndicatorValues values, int warmupContexts) {
    int n = ++learnedContexts;
    for (int s = 0; s < centre.length; s++) {
      double x = values.bySeries(s);
      double delta = x - centre[s];
      centre[s] += delta / n;
      spread[s] += delta * (x - centre[s]);
    }
    if (n == warmupContexts) {
      for (int s = 0; s < centre.length; s++) {
        spread[s] /= n;
      }
    }
  }

  /** After warm-up: EWMA update of the charts whose value was in control. */
  public void learnInControl(IndicatorValues values, float[] z, double limitSigma, double lambda) {
    learnedContexts = learnedContexts == Integer.MAX_VALUE ? learnedContexts : learnedContexts + 1;
    for (int s = 0; s < centre.length; s++) {
      if (Math.abs(z[s]) <= limitSigma) {
        double delta = values.bySeries(s) - centre[s];
        centre[s] += lambda * delta;
        spread[s] = (1 - lambda) * (spread[s] + lambda * delta * delta);
      }
    }
  }

  double[] centres() {
    return centre;
  }

  double[] spreads() {
    return spread;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ControlLimits that && learnedContexts == that.learnedContexts
        && Arrays.equals(centre, that.centre) && Arrays.equals(spread, that.spread);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(centre) + learnedContexts;
  }
}
