package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RuleParametersTest {

  @Test
  void normalQuantileMatchesTables() {
    assertEquals(1.959964, NormalQuantile.upper(0.025), 1e-6);
    assertEquals(3.0, NormalQuantile.upper(0.0013499), 1e-4);
    assertEquals(0, NormalQuantile.upper(0.5), 1e-9);
    assertEquals(4.753424, NormalQuantile.upper(1e-6), 1e-5);
  }

  @Test
  void calibrationWidensTheRulesForManyCharts() {
    RuleParameters rules = RuleParameters.calibrated(1200, 0.01);
    assertEquals(NormalQuantile.upper(0.01 / 1200 / 2), rules.limitSigma(), 1e-12);
    assertEquals(4.46, rules.limitSigma(), 0.01);
    assertEquals(18, rules.runLength()); // 2·2^-18 ≤ 8.3e-6 < 2·2^-17
    assertEquals(9, rules.trendLength()); // 2/9! = 5.5e-6 ≤ 8.3e-6 < 2/8!
    assertEquals(18, rules.window());
  }

  @Test
  void calibrationNeverGoesBelowClassic() {
    assertEquals(RuleParameters.CLASSIC, RuleParameters.calibrated(1, 0.5));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> RuleParameters.calibrated(0, 0.01));
    assertThrows(IllegalArgumentException.class, () -> RuleParameters.calibrated(10, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new RuleParameters(3, 1, 6));
  }
}
