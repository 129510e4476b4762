package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.NatsRestartScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link NatsRestartScenario} on real processes; see its class comment for what is checked. */
class NatsRestartIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void killedNatsServerComesBackAndNothingIsLost() {
    LiveScenarioRun.runAndAssert(new NatsRestartScenario(Profile.TEST));
  }
}
