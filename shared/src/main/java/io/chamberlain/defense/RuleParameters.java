package io.chamberlain.defense;

/**
 * How strict the run rules are: the control-limit width {@code limitSigma} (k), the run length
 * for "all on one side" and the length of a trend.
 *
 * <p>Why not always the classic 3σ / 8 / 6: those give each single chart a false-alarm rate of
 * about 0.27 % per point for rule 1 (and ~0.8 % for the 8-run rule). A chamber with 200 SVIDs
 * has 1,200 indicator charts, so nearly every clean wafer would alarm. {@link #calibrated} widens
 * the rules per chart (Bonferroni) so that the whole chamber's false-alarm rate per context is
 * about {@code familyFalseAlarm}, and never below the classic strictness.
 */
public record RuleParameters(double limitSigma, int runLength, int trendLength) {

  public static final RuleParameters CLASSIC = new RuleParameters(3, 8, 6);

  public RuleParameters {
    if (!(limitSigma > 0) || runLength < 2 || trendLength < 3) {
      throw new IllegalArgumentException("rule parameters need limitSigma > 0, runLength ≥ 2, trendLength ≥ 3; got "
          + limitSigma + ", " + runLength + ", " + trendLength);
    }
  }

  /**
   * @param seriesCount      indicator charts judged per context (SVIDs × indicators)
   * @param familyFalseAlarm wanted probability that a clean context trips a rule, e.g. 0.01
   */
  public static RuleParameters calibrated(int seriesCount, double familyFalseAlarm) {
    if (seriesCount < 1 || !(familyFalseAlarm > 0 && familyFalseAlarm < 1)) {
      throw new IllegalArgumentException("calibration needs seriesCount ≥ 1 and familyFalseAlarm in (0, 1); got "
          + seriesCount + ", " + familyFalseAlarm);
    }
    double perChart = familyFalseAlarm / seriesCount;
    double k = Math.max(CLASSIC.limitSigma, NormalQuantile.upper(perChart / 2));
    // P(last L on one given side) = 2^-L per side; P(last L strictly monotone) = 2 / L!
    int run = Math.max(CLASSIC.runLength, (int) Math.ceil(Math.log(2 / perChart) / Math.log(2)));
    int trend = CLASSIC.trendLength;
    while (2 / factorial(trend) > perChart) {
      trend++;
    }
    return new RuleParameters(k, run, trend);
  }

  /** Points of history the rules look at. */
  public int window() {
    return Math.max(5, Math.max(runLength, trendLength));
  }

  private static double factorial(int n) {
    double f = 1;
    for (int i = 2; i <= n; i++) {
      f *= i;
    }
    return f;
  }
}
