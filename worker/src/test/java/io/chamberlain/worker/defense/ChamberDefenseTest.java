package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.BuiltInDefense;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.CompletionEvent;
import org.junit.jupiter.api.Test;

class ChamberDefenseTest {

  private final DefenseProcess builtIn = new BuiltInDefenseProvider.BuiltInProcess(
      new BuiltInDefense(new DefenseSettings(3, 0.1, 0.01, 64, 10)));

  private static CompletionEvent event(String context) {
    return new CompletionEvent(ExternalProgramDefenseTest.PROFILE.chamber(), context, 1_700_000_000_000L, null);
  }

  private static Trace trace(String context) {
    return new TraceGenerator(new TraceGenerator.Settings(5, 0.3, 2)).generate(ExternalProgramDefenseTest.PROFILE, context).trace();
  }

  @Test
  void aCommittedContextIsADuplicateAfterwardsAndOnTheNextOwner() {
    ChamberDefense chamber = new ChamberDefense(builtIn, null);
    ChamberDefense.Judgement first = chamber.judge(event("c1"), trace("c1"));
    assertInstanceOf(DefenseOutcome.Judged.class, first.outcome());
    chamber.commit(first);
    ChamberDefense.Judgement again = chamber.judge(event("c1"), trace("c1"));
    assertInstanceOf(DefenseOutcome.Duplicate.class, again.outcome());
    assertNull(again.stateBytes(), "nothing new to persist");
    assertFalse(chamber.spoiled(), "a duplicate changes nothing");
    ChamberDefense nextOwner = new ChamberDefense(builtIn, first.stateBytes());
    assertInstanceOf(DefenseOutcome.Duplicate.class, nextOwner.judge(event("c1"), trace("c1")).outcome());
  }

  @Test
  void anUncommittedJudgementSpoilsTheStateAndTheStoredOneJudgesTheContextAgainAlike() {
    ChamberDefense chamber = new ChamberDefense(builtIn, null);
    byte[] stored = null;
    for (int c = 0; c < 6; c++) {
      ChamberDefense.Judgement judgement = chamber.judge(event("c" + c), trace("c" + c));
      chamber.commit(judgement);
      stored = judgement.stateBytes();
    }
    ChamberDefense.Judgement unpublished = chamber.judge(event("c6"), trace("c6")); // e.g. the publish timed out
    assertTrue(chamber.spoiled());
    assertThrows(IllegalStateException.class, () -> chamber.judge(event("c7"), trace("c7")));
    ChamberDefense reloaded = new ChamberDefense(builtIn, stored);
    ChamberDefense.Judgement retried = reloaded.judge(event("c6"), trace("c6"));
    assertEquals(unpublished.outcome(), retried.outcome());
    assertTrue(retried.outcome() instanceof DefenseOutcome.Judged judged && !judged.verdict().learning());
  }

  @Test
  void aFailingProcessSpoilsTheStateInMemory() {
    DefenseProcess failing = new DefenseProcess() {
      @Override
      public String name() {
        return "failing";
      }

      @Override
      public DefenseOutcome evaluate(DefenseRequest request) {
        request.state().markJudged(request.event().contextId()); // half-done work must not survive
        throw new DefenseProcessException("program crashed", true);
      }
    };
    ChamberDefense chamber = new ChamberDefense(failing, null);
    assertThrows(DefenseProcessException.class, () -> chamber.judge(event("c1"), trace("c1")));
    assertTrue(chamber.spoiled(), "half-done work must not be judged on: the owner loads the stored state");
  }
}
