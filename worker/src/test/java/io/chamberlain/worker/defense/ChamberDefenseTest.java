package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertSame(first.stateBytes(), again.stateBytes(), "nothing new to persist");
    ChamberDefense nextOwner = new ChamberDefense(builtIn, first.stateBytes());
    assertInstanceOf(DefenseOutcome.Duplicate.class, nextOwner.judge(event("c1"), trace("c1")).outcome());
  }

  @Test
  void aRolledBackContextIsJudgedAgainWithTheSameVerdict() {
    ChamberDefense chamber = new ChamberDefense(builtIn, null);
    for (int c = 0; c < 6; c++) {
      chamber.commit(chamber.judge(event("c" + c), trace("c" + c)));
    }
    ChamberDefense.Judgement unpublished = chamber.judge(event("c6"), trace("c6"));
    chamber.rollback(); // e.g. the verdict publish timed out
    ChamberDefense.Judgement retried = chamber.judge(event("c6"), trace("c6"));
    assertEquals(unpublished.outcome(), retried.outcome());
    assertTrue(retried.outcome() instanceof DefenseOutcome.Judged judged && !judged.verdict().learning());
  }

  @Test
  void aRolledBackNewChamberStartsEmpty() {
    ChamberDefense chamber = new ChamberDefense(builtIn, null);
    chamber.judge(event("c0"), trace("c0"));
    chamber.rollback();
    assertEquals(0, chamber.state().contextsJudged());
    assertNull(chamber.state().limits());
  }

  @Test
  void aFailingProcessLeavesTheStateAsPersisted() {
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
    assertTrue(!chamber.state().alreadyJudged("c1"));
  }
}
