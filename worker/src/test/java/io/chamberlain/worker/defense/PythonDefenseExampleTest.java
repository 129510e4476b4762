package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.Verdict;
import io.chamberlain.defense.Violation;
import io.chamberlain.domain.CompletionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs examples/defense-python/defense.py for real through python3. */
class PythonDefenseExampleTest {

  private static final Path SCRIPT = Path.of("..", "examples", "defense-python", "defense.py");

  private static ExternalProgramDefense python(ExternalProgramDefense.Input input) {
    assumeTrue(pythonAvailable(), "python3 is not installed");
    return new ExternalProgramDefense("python", List.of("python3", SCRIPT.toString(), "--warmup", "5", "--k", "6"),
        input, 1, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  /** 8 clean contexts, then one whose SVID 2 is shifted far off its level. */
  private static List<Verdict> run(ExternalProgramDefense defense, ChamberDefenseState state, int from, int to) {
    List<Verdict> verdicts = new ArrayList<>();
    for (int c = from; c < to; c++) {
      DefenseRequest clean = ExternalProgramDefenseTest.request("c" + c, state);
      DefenseRequest request = c == 8 ? shifted(clean) : clean;
      verdicts.add(assertInstanceOf(DefenseOutcome.Judged.class, defense.evaluate(request)).verdict());
    }
    return verdicts;
  }

  private static DefenseRequest shifted(DefenseRequest clean) {
    float[][] series = new float[clean.trace().svidCount()][];
    for (int svid = 0; svid < series.length; svid++) {
      series[svid] = clean.trace().series(svid).clone();
    }
    for (int i = 0; i < series[2].length; i++) {
      series[2][i] *= 1.5f;
    }
    CompletionEvent event = clean.event();
    return new DefenseRequest(event, new Trace(clean.trace().hz(), clean.trace().contextSeconds(), series), clean.state());
  }

  @Test
  void flagsAShiftedSvidAfterItsWarmup() {
    try (ExternalProgramDefense defense = python(ExternalProgramDefense.Input.INDICATORS)) {
      ChamberDefenseState state = new ChamberDefenseState(64);
      List<Verdict> verdicts = run(defense, state, 0, 10);
      for (int c = 0; c < 8; c++) {
        assertEquals(Verdict.Status.OK, verdicts.get(c).status(), "clean context c" + c + ": " + verdicts.get(c).violations());
      }
      Verdict shifted = verdicts.get(8);
      assertEquals(Verdict.Status.ALARM, shifted.status());
      Violation violation = shifted.violations().get(0);
      assertEquals("MEAN_SHIFT", violation.rule());
      assertEquals(2, violation.svid());
      assertEquals(Verdict.Status.OK, verdicts.get(9).status(), "the shift was not learned");
      assertNotNull(state.pluginState(), "the program's statistics are kept with the chamber");
    }
  }

  @Test
  void readsTheTraceFileItselfInTraceMode() {
    try (ExternalProgramDefense defense = python(ExternalProgramDefense.Input.TRACE)) {
      List<Verdict> verdicts = run(defense, new ChamberDefenseState(64), 0, 10);
      assertEquals(Verdict.Status.ALARM, verdicts.get(8).status());
      assertEquals(2, verdicts.get(8).violations().get(0).svid());
    }
  }

  /** A new program on another worker continues from the chamber's persisted state. */
  @Test
  void aMovedChamberContinuesWithItsHistory() {
    ChamberDefenseState state = new ChamberDefenseState(64);
    try (ExternalProgramDefense oldOwner = python(ExternalProgramDefense.Input.INDICATORS)) {
      run(oldOwner, state, 0, 6);
    }
    ChamberDefenseState moved = ChamberDefenseState.fromBytes(state.toBytes());
    try (ExternalProgramDefense newOwner = python(ExternalProgramDefense.Input.INDICATORS)) {
      List<Verdict> verdicts = run(newOwner, moved, 6, 10);
      assertEquals(Verdict.Status.ALARM, verdicts.get(2).status(), "c8 judged against limits learned on the old owner");
    }
  }

  private static boolean pythonAvailable() {
    try {
      Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return probe.waitFor() == 0 && Files.exists(SCRIPT);
    } catch (Exception absent) {
      return false;
    }
  }
}
