package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.GatewayFailoverScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link GatewayFailoverScenario} on real processes, both ways of losing the active gateway. */
class GatewayFailoverIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void aKilledGatewaysStandbyTakesOverAndNothingIsLost() {
    LiveScenarioRun.runAndAssert(GatewayFailoverScenario.crash(Profile.TEST));
  }

  @Test
  void aStoppedGatewayHandsItsEventsToTheStandbyAtOnce() {
    LiveScenarioRun.runAndAssert(GatewayFailoverScenario.roll(Profile.TEST));
  }
}
