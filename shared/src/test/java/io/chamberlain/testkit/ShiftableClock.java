package io.chamberlain.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's wall clock that a test can move forward: the system clock plus an offset. Shifting it
 * makes the node believe time passed that did not (a stall it slept through, a lease it saw
 * unchanged for long) without waiting for it; timers still run on real time.
 */
public final class ShiftableClock implements InstantSource {

  private final AtomicLong offsetMillis = new AtomicLong();

  /** Moves this clock forward by {@code by}. */
  public void shift(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a node's clock is only moved forward, not by " + by);
    }
    offsetMillis.addAndGet(by.toMillis());
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
