package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.LeaderCrashScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link LeaderCrashScenario} on real processes; see its class comment for what is checked. */
class LeaderCrashIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void killedLeadersNodeIsReplacedInANewerTermAndNothingOlderIsApplied() {
    LiveScenarioRun.runAndAssert(new LeaderCrashScenario(Profile.TEST));
  }
}
