package io.chamberlain.worker.defense;

import java.time.Duration;

/**
 * Exponential restart delay for a failing program: {@code initial × 2^(failures − 1)}, capped at
 * {@code max}; one success resets it. Not thread-safe (its session serializes access).
 */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private int consecutiveFailures;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial ≤ max, got " + initial + " and " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** Records a failure; returns how long to wait before the next start. */
  Duration failed() {
    consecutiveFailures++;
    long delay = initialNanos;
    for (int i = 1; i < consecutiveFailures && delay < maxNanos; i++) {
      delay *= 2;
    }
    return Duration.ofNanos(Math.min(delay, maxNanos));
  }

  void succeeded() {
    consecutiveFailures = 0;
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }
}
