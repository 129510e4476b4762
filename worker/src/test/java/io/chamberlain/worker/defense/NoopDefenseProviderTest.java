package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.Verdict;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class NoopDefenseProviderTest {

  private static CompletionEvent event(String context) {
    return new CompletionEvent(ExternalProgramDefenseTest.PROFILE.chamber(), context, 1_700_000_000_000L, null);
  }

  @Test
  void judgesEveryNewContextOkOnceAndReadsNoTrace() {
    ChamberDefense chamber = new ChamberDefense(new NoopDefenseProvider().create(null), null);
    assertFalse(chamber.readsTrace());
    ChamberDefense.Judgement first = chamber.judge(event("c1"), Trace.NONE);
    DefenseOutcome.Judged judged = assertInstanceOf(DefenseOutcome.Judged.class, first.outcome());
    assertEquals(Verdict.Status.OK, judged.verdict().status());
    chamber.commit(first);
    assertInstanceOf(DefenseOutcome.Duplicate.class, chamber.judge(event("c1"), Trace.NONE).outcome());
    ChamberDefense nextOwner = new ChamberDefense(new NoopDefenseProvider().create(null), first.stateBytes());
    assertInstanceOf(DefenseOutcome.Duplicate.class, nextOwner.judge(event("c1"), Trace.NONE).outcome(),
        "the judged context travels with the state");
  }

  @Test
  void isSelectedByNameAndRefusesOptions() {
    try (DefenseSelector selector = DefenseSelector.fromConfig(new JsonArray()
        .add(new JsonObject().put("match", "bn*:*").put("process", "noop")))) {
      assertEquals("noop", selector.processFor(new ChamberKey("bn001", "1")).name());
      assertEquals("builtin", selector.processFor(new ChamberKey("bb001", "1")).name());
    }
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new NoopDefenseProvider().create(new JsonObject().put("warmupContexts", 3)));
    assertTrue(refused.getMessage().contains("no options"), refused.getMessage());
  }
}
