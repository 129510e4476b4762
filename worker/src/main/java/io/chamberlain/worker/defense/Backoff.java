package io.chamberlain.worker.defense;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * Restart delay for a failing program: {@code initial × 2^(failures − 1)}, capped at {@code max}
 * (Resilience4j's exponential {@link IntervalFunction}, in whole milliseconds); one success resets
 * it. Not thread-safe (its session serializes access).
 */
final class Backoff {

  /** Each consecutive failure doubles the delay. */
  static final double MULTIPLIER = 2;

  private final IntervalFunction delays;
  private int consecutiveFailures;

  Backoff(Duration initial, Duration max) {
    if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 1 ms ≤ initial ≤ max, got " + initial + " and " + max);
    }
    this.delays = IntervalFunction.ofExponentialBackoff(initial, MULTIPLIER, max);
  }

  /** Records a failure; returns how long to wait before the next start. */
  Duration failed() {
    consecutiveFailures++;
    return Duration.ofMillis(delays.apply(consecutiveFailures));
  }

  void succeeded() {
    consecutiveFailures = 0;
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }
}
