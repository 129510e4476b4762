package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.SoakScenario;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three minutes of {@link SoakScenario} in CI: a fault every 30 s, so the six faults are one of each
 * kind in a seeded random order (the seed is printed; {@code -Dsoak.seed=N} replays a run). Asserts
 * the invariants — the audit, every victim ended by its signal, recovery after each fault, every
 * chamber owned; breaches and memory are reported, never failed on (they belong to
 * {@code bin/chamberlain soak}).
 */
class SoakIT {

  private static final Duration LENGTH = Duration.ofMinutes(3);
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void everyEventJudgedOnceInOrderThroughOneFaultOfEachKind() {
    long seed = Long.getLong("soak.seed", ThreadLocalRandom.current().nextLong());
    System.out.println("SoakIT: seed " + seed + " (replay with -Dsoak.seed=" + seed + ")");
    SoakScenario soak = new SoakScenario(Profile.TEST, new SoakScenario.Settings(LENGTH, INTERVAL, seed,
        Profile.TEST.chambers(), Profile.TEST.eventsPerSecond()));
    LiveScenarioRun.runAndAssert(soak, Duration.ofMinutes(14));
    System.out.println(soak.report());
  }
}
