package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.FrozenWorkerScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link FrozenWorkerScenario} on real processes, both variants; see its class comment for what is checked. */
class FrozenWorkerIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void frozenWorkersChambersResumeElsewhereAndItsWakeUpBreaksNoGuarantee() {
    LiveScenarioRun.runAndAssert(FrozenWorkerScenario.follower(Profile.TEST));
  }

  @Test
  void frozenLeaderIsReplacedAndFencedWhenItWakes() {
    LiveScenarioRun.runAndAssert(FrozenWorkerScenario.leader(Profile.TEST));
  }
}
