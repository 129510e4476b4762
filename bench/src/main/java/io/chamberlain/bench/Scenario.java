package io.chamberlain.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference scenarios, each with what the reference design (000_b4dc323a644510a9.txt) and
 * Kafka 4.4 (measured, DESIGN.md) report for it, and the consumer sets of the Kafka-style
 * baseline before and after.
 */
enum Scenario {
  COLD_START("cold start 0 → 64 (one join per second)", 0, 64,
      "31 s to operational, 1 assignment", "67 s (classic) / 65 epochs, 152 moves (KIP-848)"),
  SCALE_DOWN("scale 64 → 30", 64, 30, "32 s, 1 assignment", "not possible with the 1:1 design"),
  SCALE_UP("scale 64 → 100", 64, 100, "32 s, 1 assignment", "not possible with the 1:1 design"),
  CRASH("crash 1 of 30 (SIGKILL, member removed)", 30, 29, "8 s", "46 s default; 5.2–7.2 s with 6 s session"),
  FROZEN("frozen 1 of 30 (heartbeats only)", 30, 29, "8 s", "46 s default; 5.2–7.2 s with 6 s session"),
  ROLLING_UPDATE("rolling update of 30 (each down 5 s)", 30, 30, "30–150 s, 0 rebalances",
      "0 rebalances, 0.1–0.7 s pause (static membership)");

  /** Warm-up before a scenario on a running cluster. */
  static final long START_MILLIS = 10_000;
  static final long STAGGER_MILLIS = 20;
  static final long RESTART_DOWN_MILLIS = 5_000;
  static final long RESTART_SPACING_MILLIS = 6_000;

  final String title;
  final int defendersBefore;
  final int defendersAfter;
  final String referenceDesign;
  final String kafkaMeasured;

  Scenario(String title, int before, int after, String referenceDesign, String kafkaMeasured) {
    this.title = title;
    this.defendersBefore = before;
    this.defendersAfter = after;
    this.referenceDesign = referenceDesign;
    this.kafkaMeasured = kafkaMeasured;
  }

  static String defender(int i) {
    return String.format("defender-%03d", i);
  }

  static List<String> defenders(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(defender(i));
    }
    return ids;
  }

  /** When the scenario begins (the clock of all "after" measurements). */
  long startMillis() {
    return this == COLD_START ? 0 : START_MILLIS;
  }

  /**
   * Schedules the warm-up (if any) and the scenario's events.
   *
   * @return the time of the scenario's last topology event
   */
  long schedule(SimulatedCluster cluster) {
    long t0 = startMillis();
    for (int i = 0; i < defendersBefore; i++) {
      cluster.join(i * 5L, defender(i), "v1"); // near-simultaneous start, settled by START_MILLIS
    }
    switch (this) {
      case COLD_START -> {
        for (int i = 0; i < defendersAfter; i++) {
          cluster.join(i * 1_000L, defender(i), "v1");
        }
        return (defendersAfter - 1) * 1_000L;
      }
      case SCALE_DOWN -> {
        for (int i = defendersAfter; i < defendersBefore; i++) {
          cluster.leave(t0 + (i - defendersAfter) * STAGGER_MILLIS, defender(i));
        }
        return t0 + (defendersBefore - defendersAfter - 1) * STAGGER_MILLIS;
      }
      case SCALE_UP -> {
        for (int i = defendersBefore; i < defendersAfter; i++) {
          cluster.join(t0 + (i - defendersBefore) * STAGGER_MILLIS, defender(i), "v1");
        }
        return t0 + (defendersAfter - defendersBefore - 1) * STAGGER_MILLIS;
      }
      case CRASH, FROZEN -> {
        cluster.crash(t0, defender(7), this == CRASH);
        return t0;
      }
      case ROLLING_UPDATE -> {
        for (int i = 0; i < defendersBefore; i++) {
          cluster.restart(t0 + i * RESTART_SPACING_MILLIS, defender(i), RESTART_DOWN_MILLIS, "v2");
        }
        return t0 + (defendersBefore - 1) * RESTART_SPACING_MILLIS + RESTART_DOWN_MILLIS;
      }
      default -> throw new IllegalStateException("unknown scenario " + this);
    }
  }
}
