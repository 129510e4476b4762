package io.chamberlain.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chamberlain.capacity.CapacityPlanner.ChamberLoad;
import io.chamberlain.domain.ChamberKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {

  /** 70 % of one core per defender, a 5 s SLA, at least 2 defenders. */
  private final CapacityPlanner planner = new CapacityPlanner(0.7, 1_000, 5_000, 2);

  private static List<ChamberKey> chambers(int count) {
    return IntStream.range(0, count).mapToObj(i -> new ChamberKey("tool" + i, "1")).toList();
  }

  @Test
  void theNeedIsTheMeasuredWorkOverWhatOneDefenderDoesAtTheTarget() {
    List<ChamberKey> fab = chambers(3_000);
    Map<ChamberKey, ChamberLoad> measured = new HashMap<>();
    // every chamber: one context per 3 minutes, 700 ms each → 3,000 × 700 / 180 ≈ 11,667 ms/s
    fab.forEach(chamber -> measured.put(chamber, new ChamberLoad(1 / 180.0, 700)));
    CapacityPlanner.Plan plan = planner.plan(fab, measured, 10);
    assertEquals(11_666.7, plan.workMillisPerSecond(), 0.1);
    assertEquals(17, plan.defendersNeeded(), "11,667 / 700 = 16.7 → 17");
    assertEquals(-7, plan.surplus(), 1e-9, "10 live: 7 short");
    assertEquals(3_000, plan.measuredChambers());
  }

  @Test
  void unmeasuredChambersCountAtTheMeanAndNothingMeasuredNeedsNothingButKeepsTheMinimum() {
    List<ChamberKey> fab = chambers(100);
    Map<ChamberKey, ChamberLoad> half = new HashMap<>();
    fab.subList(0, 50).forEach(chamber -> half.put(chamber, new ChamberLoad(0.1, 100))); // 10 ms/s each
    CapacityPlanner.Plan plan = planner.plan(fab, half, 4);
    assertEquals(1_000, plan.workMillisPerSecond(), 1e-6, "the other 50 at the mean");
    assertEquals(2, plan.defendersNeeded(), "1,000 / 700 → 2");
    CapacityPlanner.Plan unknown = planner.plan(fab, Map.of(), 4);
    assertEquals(0, unknown.defendersNeeded(), "nothing measured: the autoscaler's minimum applies");
    assertEquals(2, unknown.surplus(), 1e-9, "surplus over the minimum");
  }

  @Test
  void theNeedIsNotFlooredSoAnAutoscalerWithATolerancePassesItsMinimum() {
    List<ChamberKey> fab = chambers(10);
    Map<ChamberKey, ChamberLoad> light = new HashMap<>();
    fab.forEach(chamber -> light.put(chamber, new ChamberLoad(0.1, 100))); // 100 ms/s in all
    CapacityPlanner.Plan plan = planner.plan(fab, light, 3);
    assertEquals(1, plan.defendersNeeded());
    assertEquals(1, plan.surplus(), 1e-9, "3 live − the minimum of 2");
  }

  @Test
  void chambersNoDefenderCountCanHelpAreCounted() {
    List<ChamberKey> fab = chambers(3);
    Map<ChamberKey, ChamberLoad> measured = Map.of(
        fab.get(0), new ChamberLoad(1.0, 800),   // 800 ms/s: over one defender's 700
        fab.get(1), new ChamberLoad(0.001, 6_000), // 6 s per context: over the SLA
        fab.get(2), new ChamberLoad(0.5, 10));
    CapacityPlanner.Plan plan = planner.plan(fab, measured, 3);
    assertEquals(1, plan.chambersOverOneDefender());
    assertEquals(1, plan.chambersSlowerThanSla());
    assertEquals(2, plan.defendersNeeded(), "811 ms/s → 2");
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CapacityPlanner(0, 1_000, 5_000, 1));
    assertThrows(IllegalArgumentException.class, () -> new CapacityPlanner(1.5, 1_000, 5_000, 1));
    assertThrows(IllegalArgumentException.class, () -> new CapacityPlanner(0.7, 0, 5_000, 1));
  }
}
