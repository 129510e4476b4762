package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RuleParametersTest {

  @Test
  void normalQuantileMatchesTables() {
    assertEquals(1.959964, Quantiles.normalUpper(0.025), 1e-6);
    assertEquals(3.0, Quantiles.normalUpper(0.0013499), 1e-4);
    assertEquals(0, Quantiles.normalUpper(0.5), 1e-9);
    assertEquals(4.753424, Quantiles.normalUpper(1e-6), 1e-5);
  }

  @Test
  void studentQuantileMatchesTables() {
    assertEquals(2.093, Quantiles.studentUpper(0.025, 19), 1e-3);
    assertEquals(3.385, Quantiles.studentUpper(0.001, 30), 2e-3);
    assertEquals(3.552, Quantiles.studentUpper(0.0005, 40), 2e-3);
    assertEquals(1.960, Quantiles.studentUpper(0.025, 1e9), 1e-3);
  }

  @Test
  void calibrationWidensEveryRuleForManyChartsAndFewSamples() {
    RuleParameters rules = RuleParameters.calibrated(300, 0.01, 1e9);
    double perRule = 0.01 / 300 / 5;
    assertEquals(Quantiles.normalUpper(perRule / 2), rules.limitSigma(), 1e-6);
    assertEquals(4.50, rules.limitSigma(), 0.01);
    assertEquals(19, rules.runLength()); // 2·2^-19 = 3.8e-6 ≤ 6.7e-6 < 2·2^-18
    assertEquals(9, rules.trendLength()); // 2/9! = 5.5e-6 ≤ 6.7e-6 < 2/8! = 5.0e-5
    // at the computed 2-of-3 line, newest beyond and one of two before: p·(1 − (1 − p)²) = perRule / 2
    double p = tail(rules.twoOfThreeSigma());
    assertEquals(perRule / 2, p * (1 - (1 - p) * (1 - p)), perRule * 1e-3);
    RuleParameters fewSamples = RuleParameters.calibrated(300, 0.01, 20);
    assertTrue(fewSamples.limitSigma() > rules.limitSigma() + 1, "t-limits are wider for 20 samples: " + fewSamples);
    assertTrue(fewSamples.fourOfFiveSigma() > rules.fourOfFiveSigma());
  }

  @Test
  void calibrationNeverGoesBelowClassic() {
    RuleParameters lax = RuleParameters.calibrated(1, 0.9, 1e9);
    assertEquals(3, lax.limitSigma());
    assertEquals(2, lax.twoOfThreeSigma());
    assertEquals(8, lax.runLength());
    assertEquals(6, lax.trendLength());
  }

  @Test
  void linesStayWithinTheStoredZRangeEvenForATinyWarmup() {
    RuleParameters tiny = RuleParameters.calibrated(6000, 0.01, 2);
    assertEquals(RuleParameters.MAX_SIGMA, tiny.limitSigma());
    assertTrue(RuleParameters.MAX_SIGMA < ZHistory.MAX_Z);
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> RuleParameters.calibrated(0, 0.01, 20));
    assertThrows(IllegalArgumentException.class, () -> RuleParameters.calibrated(10, 1.5, 20));
    assertThrows(IllegalArgumentException.class, () -> RuleParameters.calibrated(10, 0.01, 1));
    assertThrows(IllegalArgumentException.class, () -> new RuleParameters(3, 2, 1, 1, 6));
  }

  /** P(Z > z) by numeric integration of the normal density (independent of Quantiles). */
  private static double tail(double z) {
    double sum = 0;
    double step = 1e-4;
    for (double x = z; x < z + 12; x += step) {
      sum += Math.exp(-0.5 * (x + step / 2) * (x + step / 2)) * step;
    }
    return sum / Math.sqrt(2 * Math.PI);
  }
}
