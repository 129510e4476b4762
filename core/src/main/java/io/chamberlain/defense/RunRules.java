package io.chamberlain.defense;

import java.util.EnumSet;
import java.util.Set;

/**
 * Evaluates the {@link Rule}s on one chart's recent standardized values, oldest first, the
 * newest last. A rule fires only if the newest point is part of its pattern, so a pattern is
 * reported when it completes rather than again for every later point that merely sits inside it.
 * Points are compared strictly: a value exactly on a zone line, or exactly on the centre, does
 * not count as beyond it or on a side.
 */
public final class RunRules {

  private RunRules() {
  }

  /** @param z the window, oldest first; only the first {@code length} entries are read */
  public static Set<Rule> violated(float[] z, int length, RuleParameters parameters) {
    EnumSet<Rule> violated = EnumSet.noneOf(Rule.class);
    if (length == 0) {
      return violated;
    }
    double k = parameters.limitSigma();
    float newest = z[length - 1];
    if (Math.abs(newest) > k) {
      violated.add(Rule.BEYOND_LIMIT);
    }
    if (countBeyondOnNewestSide(z, length, 3, parameters.twoOfThreeSigma()) >= 2) {
      violated.add(Rule.TWO_OF_THREE_BEYOND_2_SIGMA);
    }
    if (countBeyondOnNewestSide(z, length, 5, parameters.fourOfFiveSigma()) >= 4) {
      violated.add(Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA);
    }
    if (countBeyondOnNewestSide(z, length, parameters.runLength(), 0) == parameters.runLength()) {
      violated.add(Rule.RUN_ON_ONE_SIDE);
    }
    if (isTrend(z, length, parameters.trendLength())) {
      violated.add(Rule.TREND);
    }
    return violated;
  }

  /**
   * Among the last {@code span} points, how many lie beyond {@code threshold} on the newest
   * point's side — 0 if the newest point itself is not beyond it, or if fewer than {@code span}
   * points exist yet.
   */
  private static int countBeyondOnNewestSide(float[] z, int length, int span, double threshold) {
    if (length < span) {
      return 0;
    }
    double side = Math.signum(z[length - 1]);
    if (side == 0 || side * z[length - 1] <= threshold) {
      return 0;
    }
    int count = 0;
    for (int i = length - span; i < length; i++) {
      if (side * z[i] > threshold) {
        count++;
      }
    }
    return count;
  }

  private static boolean isTrend(float[] z, int length, int trendLength) {
    if (length < trendLength) {
      return false;
    }
    boolean rising = true;
    boolean falling = true;
    for (int i = length - trendLength + 1; i < length; i++) {
      rising &= z[i] > z[i - 1];
      falling &= z[i] < z[i - 1];
    }
    return rising || falling;
  }
}
