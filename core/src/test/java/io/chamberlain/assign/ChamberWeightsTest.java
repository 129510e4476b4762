package io.chamberlain.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ChamberWeightsTest {

  private final ChamberProfile heavy = new ChamberProfile(ChamberKey.parse("tool001:1"), 100, 10, 1200);

  @Test
  void formulaIsSvidsTimesHzTimesSeconds() {
    assertEquals(1_200_000, ChamberWeights.FORMULA_ONLY.weightOf(heavy, OptionalDouble.of(5)));
  }

  @Test
  void observedAndBlendFallBackToTheFormulaUntilMeasured() {
    for (WeightSource source : WeightSource.values()) {
      assertEquals(1_200_000, new ChamberWeights(source, 0.5).weightOf(heavy, OptionalDouble.empty()), source.name());
    }
  }

  @Test
  void observedAndBlendUseTheMeasurement() {
    assertEquals(600_000, new ChamberWeights(WeightSource.OBSERVED, 0.5).weightOf(heavy, OptionalDouble.of(600_000)));
    assertEquals(0.25 * 600_000 + 0.75 * 1_200_000,
        new ChamberWeights(WeightSource.BLEND, 0.25).weightOf(heavy, OptionalDouble.of(600_000)));
    assertTrue(new ChamberWeights(WeightSource.OBSERVED, 0.5).weightOf(heavy, OptionalDouble.of(0)) > 0,
        "a chamber that cost nothing yet must still weigh something");
  }

  @Test
  void refusesBadInputsWithReasons() {
    IllegalArgumentException share = assertThrows(IllegalArgumentException.class,
        () -> new ChamberWeights(WeightSource.BLEND, 1.5));
    assertTrue(share.getMessage().contains("observed share"), share.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> new ChamberWeights(WeightSource.OBSERVED, 0.5).weightOf(heavy, OptionalDouble.of(-1)));
    assertTrue(negative.getMessage().contains("tool001:1"), negative.getMessage());
  }

  @Test
  void weightSourceParsesConfigSpellings() {
    assertEquals(WeightSource.BLEND, WeightSource.parse(" Blend "));
    assertEquals("observed", WeightSource.OBSERVED.configName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightSource.parse("cost"));
    assertTrue(e.getMessage().contains("formula, observed, blend"), e.getMessage());
  }
}
