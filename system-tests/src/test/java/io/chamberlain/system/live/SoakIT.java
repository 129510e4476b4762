package io.chamberlain.system.live;

import io.chamberlain.system.live.scenario.SoakScenario;
import io.chamberlain.system.live.soak.FaultKind;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three minutes of {@link SoakScenario} in CI: a fault every 30 s in a seeded random order (the seed is
 * printed; {@code -Dsoak.seed=N} replays a run). Without the worker SIGSTOP for now: once (1 run of 4,
 * one core kept busy) the healthy cluster merged <em>into</em> the thawed worker's stale view of it and
 * the leader's gateway took 53 s to merge — an open defect (a node woken from a pause longer than the
 * failure detector should restart rather than be merged into); freezes stay in {@code FrozenWorkerIT}
 * and in {@code bin/chamberlain soak}. Asserts
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
  void everyEventJudgedOnceInOrderThroughSeededFaults() {
    long seed = Long.getLong("soak.seed", ThreadLocalRandom.current().nextLong());
    System.out.println("SoakIT: seed " + seed + " (replay with -Dsoak.seed=" + seed + ")");
    java.util.Set<FaultKind> kinds = java.util.EnumSet.complementOf(java.util.EnumSet.of(FaultKind.WORKER_FREEZE));
    SoakScenario soak = new SoakScenario(Profile.TEST, new SoakScenario.Settings(LENGTH, INTERVAL, seed,
        Profile.TEST.chambers(), Profile.TEST.eventsPerSecond(), kinds));
    LiveScenarioRun.runAndAssert(soak, Duration.ofMinutes(14));
    System.out.println(soak.report());
  }
}
