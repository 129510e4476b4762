package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.IngestLanesScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link IngestLanesScenario} on real processes: lanes shared by two gateways, one killed. */
class IngestLanesIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void twoGatewaysShareTheLanesAndAKillMovesOnlyItsOwn() {
    LiveScenarioRun.runAndAssert(new IngestLanesScenario(Profile.TEST));
  }
}
