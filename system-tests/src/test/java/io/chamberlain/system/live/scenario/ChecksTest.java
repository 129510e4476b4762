package io.chamberlain.system.live.scenario;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A missed target fails the benchmark and never a test; a broken invariant or an abort fails both. */
class ChecksTest {

  @Test
  void aMissedTargetFailsOnlyTheBenchmark() {
    ScenarioResult result = new ScenarioResult("demo");
    result.invariant("exactly once", true, "");
    result.target("0 SLA breaches", false, "3 breached");
    assertTrue(result.invariantsHeld());
    assertFalse(result.passed(), "scenarios --live exits non-zero");
    assertDoesNotThrow(result::assertInvariants, "the IT passes");
    assertEquals(1, result.missedTargets().size());
    assertTrue(ScenarioTable.checksCell(result).startsWith("invariants 1/1, targets 0/1"), ScenarioTable.checksCell(result));
  }

  @Test
  void aBrokenInvariantFailsBoth() {
    ScenarioResult result = new ScenarioResult("demo");
    result.invariant("exactly once", false, "2 lost");
    result.target("0 SLA breaches", true, "");
    assertFalse(result.invariantsHeld());
    assertFalse(result.passed());
    AssertionError error = assertThrows(AssertionError.class, result::assertInvariants);
    assertTrue(error.getMessage().contains("2 lost"), error.getMessage());
  }

  @Test
  void anAbortIsABrokenInvariant() {
    ScenarioResult result = new ScenarioResult("demo");
    result.aborted(new IllegalStateException("gateway died"));
    assertFalse(result.invariantsHeld());
    assertThrows(AssertionError.class, result::assertInvariants);
  }

  @Test
  void checksAreCountedByKind() {
    Checks checks = new Checks();
    checks.add(Checks.Kind.INVARIANT, "a", true, "");
    checks.add(Checks.Kind.TARGET, "b", false, "late");
    checks.add(Checks.Kind.TARGET, "c", true, "");
    assertEquals(1, checks.count(Checks.Kind.INVARIANT));
    assertEquals(2, checks.count(Checks.Kind.TARGET));
    assertEquals("b", checks.failed(Checks.Kind.TARGET).get(0).what());
    assertTrue(checks.invariantsHeld());
    assertFalse(checks.allHeld());
  }

  @Test
  void everyScenarioHasAUniqueNameInBothProfiles() {
    for (io.chamberlain.system.live.Profile profile : io.chamberlain.system.live.Profile.values()) {
      java.util.List<String> names = LiveScenarios.all(profile).stream().map(LiveScenario::name).toList();
      assertEquals(names.size(), java.util.Set.copyOf(names).size(), names.toString());
      assertTrue(names.containsAll(java.util.List.of("roll-all", "freeze-12s", "freeze-1.5s", "new-chambers-1000",
          "new-chambers-6000", "cold-backlog-6000", "leader-node-kill", "mixed", "leader-crash")), names.toString());
    }
  }
}
