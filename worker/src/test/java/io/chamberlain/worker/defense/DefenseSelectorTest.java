package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DefenseSelectorTest {

  private static JsonObject rule(String match, String process, JsonObject options) {
    return new JsonObject().put("match", match).put("process", process).put("options", options);
  }

  private static final JsonObject EXTERNAL = new JsonObject().put("command", new JsonArray().add("cat"));

  @Test
  void firstMatchWinsAndUnmatchedChambersGetTheBuiltIn() {
    JsonArray rules = new JsonArray()
        .add(rule("etch*:2", "external", EXTERNAL))
        .add(rule("etch01:?", "builtin", new JsonObject().put("warmupContexts", 2)));
    try (DefenseSelector selector = DefenseSelector.fromConfig(rules)) {
      DefenseProcess external = selector.processFor(ChamberKey.parse("etch01:2"));
      DefenseProcess tuned = selector.processFor(ChamberKey.parse("etch01:3"));
      DefenseProcess fallback = selector.processFor(ChamberKey.parse("cvd01:2"));
      assertEquals("external:cat", external.name());
      assertEquals("builtin", tuned.name());
      assertEquals("builtin", fallback.name());
      assertSame(tuned, selector.processFor(ChamberKey.parse("etch01:1")));
      assertSame(fallback, selector.processFor(ChamberKey.parse("etch01:10")), "'?' is one character");
    }
  }

  @Test
  void aPatternWithoutColonSelectsAWholeTool() {
    try (DefenseSelector selector = DefenseSelector.fromConfig(new JsonArray().add(rule("cvd*", "external", EXTERNAL)))) {
      assertEquals("external:cat", selector.processFor(ChamberKey.parse("cvd7:12")).name());
      assertEquals("builtin", selector.processFor(ChamberKey.parse("etch7:12")).name());
    }
  }

  @Test
  void builtInOptionsAreApplied() {
    try (DefenseSelector selector = DefenseSelector.fromConfig(
        new JsonArray().add(rule("*", "builtin", new JsonObject().put("warmupContexts", 2).put("processedIdCapacity", 2))))) {
      DefenseProcess process = selector.processFor(ChamberKey.parse("t:1"));
      ChamberDefenseState state = process.newState();
      boolean[] learning = new boolean[3];
      for (int c = 0; c < 3; c++) {
        learning[c] = assertInstanceOf(DefenseOutcome.Judged.class,
            process.evaluate(ExternalProgramDefenseTest.request("c" + c, state))).verdict().learning();
      }
      assertTrue(learning[0] && learning[1] && !learning[2], "warm after 2 contexts");
      assertTrue(!state.alreadyJudged("c0") && state.alreadyJudged("c2"), "remembers only the 2 newest ids");
    }
  }

  @Test
  void unknownProcessNamesTheRuleAndTheKnownOnes() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> DefenseSelector.fromConfig(new JsonArray().add(rule("*", "matlab", null))));
    assertTrue(error.getMessage().contains("defense rule 0"), error.getMessage());
    // The tests' class path adds a test-only provider ("gated") to the product's two.
    assertTrue(error.getMessage().contains("unknown process 'matlab'; known: [builtin, external"), error.getMessage());
  }

  @Test
  void badRulesAreRefusedWithTheReason() {
    assertMessage(new JsonArray().add(rule("a:b:c", "builtin", null)), "more than one ':'");
    assertMessage(new JsonArray().add(new JsonObject().put("process", "builtin")), "needs a 'match' pattern");
    assertMessage(new JsonArray().add(rule("*", "external", new JsonObject())), "'command' must be a non-empty array");
    assertMessage(new JsonArray().add(rule("*", "external", EXTERNAL.copy().put("timeoutMs", -5))), "'timeoutMs' must be a positive");
    assertMessage(new JsonArray().add(rule("*", "builtin", new JsonObject().put("ewmaLambda", 2.0))), "ewmaLambda must be in (0, 1]");
    assertMessage(new JsonArray().add("builtin"), "is not an object");
  }

  private static void assertMessage(JsonArray rules, String reason) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DefenseSelector.fromConfig(rules));
    assertTrue(error.getMessage().contains(reason), error.getMessage());
  }
}
