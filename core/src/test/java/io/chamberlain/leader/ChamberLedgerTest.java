package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.ChamberWeights;
import io.chamberlain.assign.WeightSource;
import io.chamberlain.capacity.CapacityPlanner;
import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChamberLedgerTest {

  private static final ChamberKey A = new ChamberKey("tool1", "a");
  private static final ChamberKey B = new ChamberKey("tool1", "b");

  @Test
  void measuredCostsChangeTheWeightsOnlyUnderAnObservingPolicy() {
    ChamberLedger ledger = new ChamberLedger();
    ledger.formula(A, 10);
    ledger.formula(B, 10);
    ledger.measured(Map.of(A, 30.0, B, 10.0), Map.of());
    Map<ChamberKey, Double> current = Map.of(A, 10.0, B, 10.0);
    assertEquals(Map.of(), ledger.weightChanges(ChamberWeights.FORMULA_ONLY, current));
    var changed = ledger.weightChanges(new ChamberWeights(WeightSource.OBSERVED, 1.0), current);
    // 20 formula points over 40 ms measured: A (30 ms) weighs 15, B (10 ms) 5.
    assertEquals(15.0, changed.get(A), 1e-9);
    assertEquals(5.0, changed.get(B), 1e-9);
  }

  @Test
  void theCapacityPlanSeesOnlyChambersWithBothARateAndACost() {
    ChamberLedger ledger = new ChamberLedger();
    ledger.measured(Map.of(A, 40.0, B, 20.0), Map.of(A, 0.5));
    assertEquals(Map.of(A, new CapacityPlanner.ChamberLoad(0.5, 40.0)), ledger.loads(List.of(A, B)));
  }

  @Test
  void aForgottenChamberLeavesNothingBehind() {
    ChamberLedger ledger = new ChamberLedger();
    ledger.formula(A, 10);
    ledger.measured(Map.of(A, 40.0), Map.of(A, 0.5));
    ledger.forget(A);
    assertEquals(Optional.empty(), ledger.formulaWeight(A));
    assertEquals(Optional.empty(), ledger.observedMillisPerContext(A));
    assertTrue(ledger.loads(List.of(A)).isEmpty(), "its rate went too (the adapter kept it before)");
  }
}
