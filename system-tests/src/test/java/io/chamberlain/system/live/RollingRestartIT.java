package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.RollingRestartScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link RollingRestartScenario} on real processes; see its class comment for what is checked. */
class RollingRestartIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void rollingEveryWorkerMovesNoChamberAndPausesNoLongerThanTheRestart() {
    LiveScenarioRun.runAndAssert(new RollingRestartScenario());
  }
}
