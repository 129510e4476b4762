package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.ScaleScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link ScaleScenario} on real processes; see its class comment for what is checked. */
class ScaleIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void scaleOutThenInMovesOnlyWhatItMustAndLosesNothing() {
    LiveScenarioRun.runAndAssert(new ScaleScenario(Profile.TEST));
  }
}
