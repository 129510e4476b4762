package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInDefenseTest {

  private static final ChamberProfile PROFILE = new ChamberProfile(ChamberKey.parse("tool007:2"), 12, 10, 30);
  private static final DefenseSettings SETTINGS = new DefenseSettings(10, 0.05, 0.01, 64, 20);
  private final BuiltInDefense defense = new BuiltInDefense(SETTINGS);

  private static Trace trace(double faultRate, String context) {
    return new TraceGenerator(new TraceGenerator.Settings(42, faultRate, 2)).generate(PROFILE, context).trace();
  }

  private Verdict judge(ChamberDefenseState state, String context, Trace trace) {
    return assertInstanceOf(DefenseOutcome.Judged.class, defense.evaluate(state, context, trace)).verdict();
  }

  @Test
  void learnsDuringWarmupThenJudges() {
    ChamberDefenseState state = new ChamberDefenseState(64);
    for (int c = 0; c < 10; c++) {
      Verdict verdict = judge(state, "c" + c, trace(0, "c" + c));
      assertTrue(verdict.learning());
      assertEquals(Verdict.Status.OK, verdict.status());
    }
    assertTrue(!judge(state, "c10", trace(0, "c10")).learning());
  }

  @Test
  void aSpikeAfterWarmupIsAnAlarmOnItsSvidsMaxOrRange() {
    ChamberDefenseState state = new ChamberDefenseState(64);
    for (int c = 0; c < 10; c++) {
      judge(state, "c" + c, trace(0, "c" + c));
    }
    float[][] series = new float[12][];
    Trace clean = trace(0, "spiky");
    for (int svid = 0; svid < 12; svid++) {
      series[svid] = clean.series(svid).clone();
    }
    series[5][100] += 1000 * Math.abs(series[5][100]);
    Verdict verdict = judge(state, "spiky", new Trace(10, 30, series));
    assertEquals(Verdict.Status.ALARM, verdict.status());
    Violation worst = verdict.violations().get(0);
    assertEquals(Rule.BEYOND_LIMIT.id(), worst.rule());
    assertEquals(5, worst.svid());
    assertTrue(List.of("max", "range", "std").contains(worst.indicator()), worst.toString());
    assertTrue(worst.value() > worst.upper());
  }

  @Test
  void aReplayedContextGivesNoSecondVerdictAndChangesNothing() {
    ChamberDefenseState state = new ChamberDefenseState(64);
    for (int c = 0; c < 12; c++) {
      judge(state, "c" + c, trace(0, "c" + c));
    }
    byte[] before = state.toBytes();
    DefenseOutcome replay = defense.evaluate(state, "c4", trace(0, "c4"));
    assertEquals(new DefenseOutcome.Duplicate("c4"), replay);
    assertArrayEquals(before, state.toBytes());
  }

  /** The chamber moves to another defender after 25 contexts: the new owner starts from the persisted bytes. */
  @Test
  void chamberMovingMidStreamGivesTheSameVerdictsAsAnUnbrokenRun() {
    List<Verdict> unbroken = new ArrayList<>();
    ChamberDefenseState state = new ChamberDefenseState(64);
    for (int c = 0; c < 60; c++) {
      unbroken.add(judge(state, "c" + c, trace(0.3, "c" + c)));
    }

    List<Verdict> moved = new ArrayList<>();
    ChamberDefenseState oldOwner = new ChamberDefenseState(64);
    for (int c = 0; c < 25; c++) {
      moved.add(judge(oldOwner, "c" + c, trace(0.3, "c" + c)));
    }
    BuiltInDefense newDefender = new BuiltInDefense(SETTINGS);
    ChamberDefenseState newOwner = ChamberDefenseState.fromBytes(oldOwner.toBytes());
    // the event in flight during the move is redelivered to the new owner: no second verdict
    assertInstanceOf(DefenseOutcome.Duplicate.class, newDefender.evaluate(newOwner, "c24", trace(0.3, "c24")));
    for (int c = 25; c < 60; c++) {
      moved.add(assertInstanceOf(DefenseOutcome.Judged.class,
          newDefender.evaluate(newOwner, "c" + c, trace(0.3, "c" + c))).verdict());
    }
    assertEquals(unbroken, moved);
    assertArrayEquals(state.toBytes(), newOwner.toBytes());
    assertTrue(unbroken.stream().anyMatch(v -> v.status() != Verdict.Status.OK), "the run should contain detections");
  }

  @Test
  void aChangedSvidCountStartsLearningAgainButKeepsTheIds() {
    ChamberDefenseState state = new ChamberDefenseState(64);
    for (int c = 0; c < 12; c++) {
      judge(state, "c" + c, trace(0, "c" + c));
    }
    Trace narrower = new Trace(1, 3, new float[][] {{1, 2, 3}});
    assertTrue(judge(state, "new", narrower).learning());
    assertEquals(1, state.svidCount());
    assertInstanceOf(DefenseOutcome.Duplicate.class, defense.evaluate(state, "c3", narrower));
  }

  @Test
  void perStepWindowsNameTheStepAFaultIsConfinedTo() {
    BuiltInDefense stepwise = new BuiltInDefense(SETTINGS.withPerStepWindows(true));
    ChamberDefenseState state = new ChamberDefenseState(64);
    for (int c = 0; c < 10; c++) {
      assertInstanceOf(DefenseOutcome.Judged.class, stepwise.evaluate(state, "c" + c, trace(0, "c" + c)));
    }
    Trace clean = trace(0, "stepfault");
    assertEquals(1 + clean.stepCount(), state.windows());
    int step = clean.stepCount() - 1; // 0-based: the last recipe step
    float[][] series = new float[12][];
    for (int svid = 0; svid < 12; svid++) {
      series[svid] = clean.series(svid).clone();
    }
    for (int i = clean.stepStart(step); i < clean.stepStart(step + 1); i++) {
      series[7][i] += 0.5f * Math.abs(series[7][i]);
    }
    Verdict verdict = assertInstanceOf(DefenseOutcome.Judged.class,
        stepwise.evaluate(state, "stepfault", new Trace(10, 30, series, clean.stepStarts()))).verdict();
    assertEquals(Verdict.Status.ALARM, verdict.status());
    assertTrue(verdict.violations().stream().anyMatch(v -> v.svid() == 7 && v.step() == step + 1), verdict.toString());
    assertTrue(verdict.violations().stream().allMatch(v -> v.svid() == 7), verdict.toString());
  }
}
