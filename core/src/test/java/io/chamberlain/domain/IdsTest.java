package io.chamberlain.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  @ParameterizedTest(name = "accepts ''{0}''")
  @ValueSource(strings = {"tool001", "1", "A-b_9", "x"})
  void acceptsLettersDigitsDashUnderscore(String id) {
    assertEquals(id, Ids.require("toolId", id));
  }

  @ParameterizedTest(name = "refuses ''{0}'' because it {1}")
  @CsvSource(delimiter = '|', value = {
      "tool.1     | contains characters",
      "tool*      | contains characters",
      "tool>      | contains characters",
      "'to ol'    | contains characters",
      "''         | is empty"})
  void refusesWithTheReason(String id, String reason) {
    Ids.InvalidIdException error = assertThrows(Ids.InvalidIdException.class, () -> Ids.require("chamberId", id));
    assertTrue(error.getMessage().startsWith("chamberId '" + id + "' " + reason), error.getMessage());
  }

  @org.junit.jupiter.api.Test
  void refusesMissingAndTooLong() {
    assertEquals("toolId (null) is missing",
        assertThrows(Ids.InvalidIdException.class, () -> Ids.require("toolId", null)).getMessage());
    String longId = "a".repeat(65);
    assertTrue(assertThrows(Ids.InvalidIdException.class, () -> Ids.require("toolId", longId))
        .getMessage().contains("is 65 characters long (at most 64)"));
  }

  @org.junit.jupiter.api.Test
  void chamberKeyParsesAndOrdersDeterministically() {
    ChamberKey key = ChamberKey.parse("tool001:3");
    assertEquals(new ChamberKey("tool001", "3"), key);
    assertEquals("tool001:3", key.toString());
    assertTrue(ChamberKey.parse("a:2").compareTo(ChamberKey.parse("b:1")) < 0);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ChamberKey.parse("a:b:c"))
        .getMessage().contains("exactly one ':'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ChamberKey.parse("tool.1:1"))
        .getMessage().startsWith("toolId 'tool.1'"));
  }

  @org.junit.jupiter.api.Test
  void profileWeightIsDataPointsPerContext() {
    ChamberProfile profile = new ChamberProfile(ChamberKey.parse("t:1"), 100, 10, 1200);
    assertEquals(1_200_000, profile.weight());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new ChamberProfile(ChamberKey.parse("t:1"), 0, 10, 1)).getMessage().contains("svidCount must be ≥ 1"));
  }
}
