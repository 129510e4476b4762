package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.BacklogScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link BacklogScenario} on real processes; see its class comment for what is checked. */
class BacklogCatchUpIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void aBacklogDrainsAndLaterEventsMeetTheSla() {
    LiveScenarioRun.runAndAssert(new BacklogScenario(Profile.TEST));
  }
}
