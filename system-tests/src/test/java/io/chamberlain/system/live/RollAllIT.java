package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.RollAllScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RollAllScenario} on real processes, test size (1 gateway, 2 workers, one of them the
 * leader's node): the one live test of "a rolling update changes no chamber's home"; see the
 * scenario's class comment for what else is checked.
 */
class RollAllIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void rollingEveryWorkerWithItsOwnIdChangesNoHomeAndLosesNothing() {
    LiveScenarioRun.runAndAssert(new RollAllScenario(Profile.TEST));
  }
}
