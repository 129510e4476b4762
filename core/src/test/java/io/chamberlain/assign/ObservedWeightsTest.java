package io.chamberlain.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservedWeightsTest {

  private static final ChamberKey A = ChamberKey.parse("t:a");
  private static final ChamberKey B = ChamberKey.parse("t:b");
  private static final ChamberKey C = ChamberKey.parse("t:c");
  private static final Map<ChamberKey, Double> FORMULA = Map.of(A, 1000.0, B, 1000.0, C, 1000.0);

  @Test
  void formulaPolicyNeverChangesWeights() {
    assertTrue(ObservedWeights.changed(ChamberWeights.FORMULA_ONLY, FORMULA, Map.of(A, 30.0, B, 10.0), FORMULA).isEmpty());
  }

  @Test
  void observedCostIsCalibratedFleetWideAndOnlySignificantChangesAreReported() {
    // A costs 3× B for the same formula weight: calibrated 2,000 points over 40 ms = 50 points/ms.
    var changed = ObservedWeights.changed(new ChamberWeights(WeightSource.OBSERVED, 0.5), FORMULA,
        Map.of(A, 30.0, B, 10.0), FORMULA);
    assertEquals(1500.0, changed.get(A), 1e-9);
    assertEquals(500.0, changed.get(B), 1e-9);
    assertTrue(!changed.containsKey(C), "an unmeasured chamber keeps its formula weight");
  }

  @Test
  void blendMixesBothSignals() {
    var changed = ObservedWeights.changed(new ChamberWeights(WeightSource.BLEND, 0.5), FORMULA,
        Map.of(A, 30.0, B, 10.0), FORMULA);
    assertEquals(1250.0, changed.get(A), 1e-9);
    assertEquals(750.0, changed.get(B), 1e-9);
    var settled = ObservedWeights.changed(new ChamberWeights(WeightSource.BLEND, 0.5), FORMULA,
        Map.of(A, 30.0, B, 10.0), Map.of(A, 1240.0, B, 760.0, C, 1000.0));
    assertTrue(settled.isEmpty(), "within 10 % of what is balanced now: no churn");
  }
}
