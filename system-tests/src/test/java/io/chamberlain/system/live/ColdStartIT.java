package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.ColdStartScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link ColdStartScenario} on real processes, both rollouts; see its class comment for what is checked. */
class ColdStartIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void staggeredJoinsOwnEveryChamberQuicklyInFewRounds() {
    LiveScenarioRun.runAndAssert(ColdStartScenario.staggered(Profile.TEST));
  }

  @Test
  void simultaneousJoinsOwnEveryChamberQuicklyInFewRounds() {
    LiveScenarioRun.runAndAssert(ColdStartScenario.together(Profile.TEST));
  }
}
