package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.NatsClusterScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link NatsClusterScenario} on real processes: 3 nats-servers at R3, the completions stream's leader killed and brought back. */
class NatsClusterIT {

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void killedStreamLeaderOfAThreeServerClusterLosesNothing() {
    LiveScenarioRun.runAndAssert(new NatsClusterScenario(Profile.TEST));
  }
}
