package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.WorkerCrashScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link WorkerCrashScenario} on real processes; see its class comment for what is checked. */
class WorkerCrashIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void killedWorkersChambersAloneMoveAndResumeOnSurvivors() {
    LiveScenarioRun.runAndAssert(new WorkerCrashScenario(Profile.TEST));
  }
}
