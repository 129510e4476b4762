package io.chamberlain.defense;

/**
 * How strict the run rules are, in units of the chart's sigma: the control limit {@code k}
 * (rule 1), the zone lines of the "2 of 3" and "4 of 5" rules, the run length for "all on one
 * side" and the length of a trend. {@link #CLASSIC} is Western Electric: 3σ, 2σ, 1σ, 8, 6.
 *
 * <p>Why not always classic: those give every single chart a false-alarm rate of about 0.27 %
 * per point for rule 1 alone and ~1 % for all five. A chamber with 50 SVIDs has 300 indicator
 * charts, so nearly every clean wafer would be flagged. {@link #calibrated} splits a wanted
 * per-context false-alarm probability for the whole chamber evenly over charts and rules
 * (Bonferroni) and sets each rule's threshold so that its own probability on a clean chart is
 * at most that share; thresholds use Student's t with the number of contexts the limits were
 * estimated from, since a sigma learned from 20 contexts is itself uncertain. No parameter is
 * ever laxer than classic.
 */
public record RuleParameters(double limitSigma, double twoOfThreeSigma, double fourOfFiveSigma,
                             int runLength, int trendLength) {

  public static final RuleParameters CLASSIC = new RuleParameters(3, 2, 1, 8, 6);
  /** Cap of calibrated lines: with a tiny warm-up the t quantile explodes; z history stops at ±32.767. */
  public static final double MAX_SIGMA = 30;
  private static final int RULES = Rule.values().length;

  public RuleParameters {
    if (!(limitSigma > 0 && twoOfThreeSigma > 0 && fourOfFiveSigma > 0) || runLength < 2 || trendLength < 3) {
      throw new IllegalArgumentException("rule parameters need positive sigmas, runLength ≥ 2 and trendLength ≥ 3; got "
          + limitSigma + ", " + twoOfThreeSigma + ", " + fourOfFiveSigma + ", " + runLength + ", " + trendLength);
    }
  }

  /**
   * @param seriesCount      indicator charts judged per context (SVIDs × indicators)
   * @param familyFalseAlarm wanted probability that a clean context trips any rule, e.g. 0.01
   * @param samples          contexts the limits are estimated from (≥ 2)
   */
  public static RuleParameters calibrated(int seriesCount, double familyFalseAlarm, double samples) {
    if (seriesCount < 1 || !(familyFalseAlarm > 0 && familyFalseAlarm < 1) || !(samples >= 2)) {
      throw new IllegalArgumentException("calibration needs seriesCount ≥ 1, familyFalseAlarm in (0, 1) and samples ≥ 2;"
          + " got " + seriesCount + ", " + familyFalseAlarm + ", " + samples);
    }
    double perRule = familyFalseAlarm / seriesCount / RULES;
    double freedom = samples - 1;
    // Each probability is for one side; both sides count, hence perRule / 2 per side.
    double limit = Quantiles.studentUpper(perRule / 2, freedom);
    // newest beyond and ≥ 1 of the 2 before it: p·(1 − (1 − p)²)
    double twoOfThree = Quantiles.studentUpper(solve(p -> p * (1 - (1 - p) * (1 - p)), perRule / 2), freedom);
    // newest beyond and ≥ 3 of the 4 before it: p·(4p³(1 − p) + p⁴)
    double fourOfFive = Quantiles.studentUpper(solve(p -> p * (4 * p * p * p * (1 - p) + p * p * p * p), perRule / 2), freedom);
    // P(last L on one given side) = 2^-L; P(last L strictly monotone, either way) = 2 / L!
    int run = (int) Math.ceil(Math.log(2 / perRule) / Math.log(2));
    int trend = CLASSIC.trendLength;
    while (2 / factorial(trend) > perRule) {
      trend++;
    }
    return new RuleParameters(between(CLASSIC.limitSigma, limit), between(CLASSIC.twoOfThreeSigma, twoOfThree),
        between(CLASSIC.fourOfFiveSigma, fourOfFive), Math.max(CLASSIC.runLength, run), trend);
  }

  /** Points of history the rules look at. */
  public int window() {
    return Math.max(5, Math.max(runLength, trendLength));
  }

  /** The point probability p in (0, 0.5) at which the increasing {@code rate(p)} equals {@code target}. */
  private static double solve(java.util.function.DoubleUnaryOperator rate, double target) {
    double low = 0;
    double high = 0.5;
    for (int i = 0; i < 100; i++) {
      double mid = (low + high) / 2;
      if (rate.applyAsDouble(mid) > target) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return Math.max(low, Double.MIN_NORMAL);
  }

  private static double between(double classic, double calibrated) {
    return Math.min(MAX_SIGMA, Math.max(classic, calibrated));
  }

  private static double factorial(int n) {
    double f = 1;
    for (int i = 2; i <= n; i++) {
      f *= i;
    }
    return f;
  }
}
