package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlLimitsTest {

  private static IndicatorValues meanOf(double mean) {
    IndicatorValues values = new IndicatorValues(1);
    values.set(0, Indicator.MEAN, mean);
    return values;
  }

  private static ControlLimits warmedUpOn(double... means) {
    ControlLimits limits = new ControlLimits(Indicator.COUNT);
    for (double mean : means) {
      limits.learnWarmup(meanOf(mean), means.length);
    }
    return limits;
  }

  @Test
  void warmupLearnsMeanAndPopulationSigma() {
    ControlLimits limits = warmedUpOn(2, 4, 4, 4, 5, 5, 7, 9);
    int mean = new IndicatorValues(1).series(0, 0, Indicator.MEAN);
    assertTrue(limits.warm(8));
    assertEquals(5, limits.centre(mean), 1e-12);
    assertEquals(2, limits.sigma(mean), 1e-12);
    assertEquals(1.5, limits.standardize(mean, 8), 1e-12);
  }

  @Test
  void notWarmBeforeTheWarmupCount() {
    ControlLimits limits = new ControlLimits(Indicator.COUNT);
    limits.learnWarmup(meanOf(1), 3);
    assertFalse(limits.warm(3));
  }

  @Test
  void ewmaMovesCentreAndVarianceTowardsInControlValues() {
    ControlLimits limits = warmedUpOn(2, 4, 4, 4, 5, 5, 7, 9);
    int mean = new IndicatorValues(1).series(0, 0, Indicator.MEAN);
    float[] z = new float[Indicator.COUNT];
    limits.learnInControl(meanOf(7), z, 3, 0.1);
    assertEquals(5.2, limits.centre(mean), 1e-12);
    assertEquals(Math.sqrt(0.9 * (4 + 0.1 * 4)), limits.sigma(mean), 1e-12);
  }

  @Test
  void outOfControlValuesAreNotLearned() {
    ControlLimits limits = warmedUpOn(2, 4, 4, 4, 5, 5, 7, 9);
    int mean = new IndicatorValues(1).series(0, 0, Indicator.MEAN);
    float[] z = new float[Indicator.COUNT];
    z[mean] = 7.5f;
    limits.learnInControl(meanOf(20), z, 3, 0.1);
    assertEquals(5, limits.centre(mean), 1e-12);
    assertEquals(2, limits.sigma(mean), 1e-12);
  }

  @Test
  void constantSignalGetsASigmaFloorInsteadOfInfiniteZ() {
    ControlLimits limits = warmedUpOn(100, 100, 100);
    int mean = new IndicatorValues(1).series(0, 0, Indicator.MEAN);
    assertEquals(1e-4, limits.sigma(mean), 1e-12);
    assertEquals(0, limits.standardize(mean, 100), 0);
  }
}
