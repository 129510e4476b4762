package io.chamberlain.system.live;

import io.chamberlain.testkit.TestTimeouts;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chamberlain.system.live.scenario.LiveScenario;
import java.time.Duration;

/**
 * Runs a live scenario as a test: bounded as a whole (scaled), failing with every broken invariant;
 * missed timing targets are logged, never a failure (they belong to {@code scenarios --live}).
 */
final class LiveScenarioRun {

  /** A safety net over the scenario's own bounded waits. */
  private static final Duration WHOLE_RUN = Duration.ofMinutes(5);

  private LiveScenarioRun() {
  }

  static void runAndAssert(LiveScenario scenario) {
    runAndAssert(scenario, WHOLE_RUN);
  }

  /** For a scenario whose own length approaches {@link #WHOLE_RUN}: {@code wholeRun} is its bound (scaled). */
  static void runAndAssert(LiveScenario scenario, Duration wholeRun) {
    assertTimeoutPreemptively(TestTimeouts.scaled(wholeRun), () -> scenario.run().assertInvariants(),
        scenario.name() + " did not end within " + TestTimeouts.scaled(wholeRun).toSeconds() + " s");
  }
}
