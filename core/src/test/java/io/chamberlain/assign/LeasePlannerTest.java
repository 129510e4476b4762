package io.chamberlain.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Table tests of who serves a restarting defender's chambers, one per rule of {@link LeasePlanner}. */
class LeasePlannerTest {

  private static final ChamberKey A1 = new ChamberKey("a", "1");
  private static final ChamberKey A2 = new ChamberKey("a", "2");
  private static final ChamberKey A3 = new ChamberKey("a", "3");
  private static final ChamberKey B1 = new ChamberKey("b", "1");
  private static final ChamberKey C1 = new ChamberKey("c", "1");

  private static final Map<ChamberKey, Double> WEIGHTS = Map.of(A1, 300.0, A2, 200.0, A3, 100.0, B1, 250.0, C1, 100.0);
  private static final Assignment HOMES = Assignment.of(3, Map.of(A1, "a", A2, "a", A3, "a", B1, "b", C1, "c"));
  private static final List<DefenderSpec> B_AND_C = List.of(DefenderSpec.of("b"), DefenderSpec.of("c"));

  @Test
  void heaviestFirstToTheLeastServedDeputy() {
    SortedMap<ChamberKey, String> leases = LeasePlanner.plan(HOMES, WEIGHTS, B_AND_C, Set.of("a"), Map.of());
    // b serves 250, c 100: a:1 (300) → c (400), a:2 (200) → b (450), a:3 (100) → c (500).
    assertEquals(new TreeMap<>(Map.of(A1, "c", A2, "b", A3, "c")), leases);
  }

  @Test
  void capacityCountsLikeInTheEngine() {
    List<DefenderSpec> bigB = List.of(new DefenderSpec("b", 4.0), DefenderSpec.of("c"));
    SortedMap<ChamberKey, String> leases = LeasePlanner.plan(HOMES, WEIGHTS, bigB, Set.of("a"), Map.of());
    // b: 250/4 = 62.5 → a:1 → 137.5; c: 100 → a:2 → 300; b: a:3 → 162.5.
    assertEquals(new TreeMap<>(Map.of(A1, "b", A2, "c", A3, "b")), leases);
  }

  @Test
  void aLeaseWhoseDeputyIsStillADeputyStays() {
    SortedMap<ChamberKey, String> leases = LeasePlanner.plan(HOMES, WEIGHTS, B_AND_C, Set.of("a"),
        Map.of(A1, "b", A2, "b", A3, "b"));
    assertEquals(new TreeMap<>(Map.of(A1, "b", A2, "b", A3, "b")), leases, "sticky, even if uneven");
  }

  @Test
  void aLeaseWhoseDeputyIsGoneIsLentAgain() {
    SortedMap<ChamberKey, String> leases = LeasePlanner.plan(HOMES, WEIGHTS, List.of(DefenderSpec.of("c")),
        Set.of("a", "b"), Map.of(A1, "b", A2, "c", A3, "c"));
    assertEquals(new TreeMap<>(Map.of(A1, "c", A2, "c", A3, "c", B1, "c")), leases,
        "b restarts too: its own chamber and its lease go to the last deputy");
  }

  @Test
  void onlyChambersOfHeldDefendersAreLeased() {
    assertEquals(Map.of(), LeasePlanner.plan(HOMES, WEIGHTS, B_AND_C, Set.of(), Map.of(A1, "b")),
        "a is back: every lease ends");
    SortedMap<ChamberKey, String> leases = LeasePlanner.plan(HOMES, WEIGHTS, List.of(DefenderSpec.of("a"),
        DefenderSpec.of("c")), Set.of("b"), Map.of(A1, "b"));
    assertEquals(new TreeMap<>(Map.of(B1, "c")), leases);
  }

  @Test
  void withoutADeputyNothingIsLeased() {
    assertEquals(Map.of(), LeasePlanner.plan(HOMES, WEIGHTS, List.of(), Set.of("a", "b", "c"), Map.of()));
  }

  @Test
  void aRestartingDefenderCannotBeADeputy() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LeasePlanner.plan(HOMES, WEIGHTS, B_AND_C, Set.of("a", "b"), Map.of()));
    assertTrue(e.getMessage().contains("[b]"), e.getMessage());
  }

  @Test
  void sameInputSameLeases() {
    SortedMap<ChamberKey, Double> weights = Populations.fab(1500, 7);
    List<DefenderSpec> defenders = Populations.defenders(30);
    Assignment homes = new AssignmentEngine(AssignmentTuning.DEFAULT)
        .assign(Assignment.EMPTY, weights, defenders, AssignmentMode.REBALANCE).assignment();
    List<DefenderSpec> deputies = defenders.subList(1, 30);
    Set<String> held = Set.of(defenders.get(0).id());
    SortedMap<ChamberKey, String> once = LeasePlanner.plan(homes, weights, deputies, held, Map.of());
    SortedMap<ChamberKey, String> twice = LeasePlanner.plan(homes, new java.util.HashMap<>(weights),
        new java.util.ArrayList<>(deputies), held, Map.of());
    assertEquals(once, twice);
    assertEquals(homes.byDefender().get(defenders.get(0).id()).size(), once.size());
  }
}
