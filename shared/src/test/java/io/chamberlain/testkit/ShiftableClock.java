package io.chamberlain.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's wall clock that a test can move forward: the system clock plus an offset. Shifting it
 * makes the node believe time passed that did not (a stall it slept through, a lease it saw
 * unchanged for long) without waiting for it; advancing it gradually makes time pass faster for a
 * node that keeps running, without it seeing a stall. Timers still run on real time.
 */
public final class ShiftableClock implements InstantSource {

  private final AtomicReference<Offset> offset = new AtomicReference<>(new Offset(0, 0, 0, 1));

  /**
   * How far ahead of the system clock this clock is: {@code settledMillis} plus the part of a
   * gradual advance ({@code rampMillis} over {@code rampNanos} of real time from
   * {@code rampStartNanos}) done by then. One immutable value, so a reading never mixes two states.
   */
  private record Offset(long settledMillis, long rampMillis, long rampStartNanos, long rampNanos) {
    long at(long nanos) {
      long elapsed = Math.min(Math.max(0, nanos - rampStartNanos), rampNanos);
      return settledMillis + (long) (rampMillis * ((double) elapsed / rampNanos));
    }

    boolean ramping(long nanos) {
      return rampMillis > 0 && nanos - rampStartNanos < rampNanos;
    }
  }

  /** Moves this clock forward by {@code by}, at once: to the node, a gap it did not run through. */
  public void shift(Duration by) {
    requireForward(by);
    offset.updateAndGet(now -> new Offset(now.settledMillis() + by.toMillis(), now.rampMillis(), now.rampStartNanos(),
        now.rampNanos()));
  }

  /**
   * Moves this clock forward by {@code by}, spread evenly over the next {@code over} of real time: a
   * node that keeps reading it sees time run faster, never jump by more than what its own pace
   * between two readings lets through (a node that takes its readings every {@code t} ms of real
   * time sees {@code t × (1 + by/over)} pass between them). One gradual advance at a time.
   */
  public void advanceGradually(Duration by, Duration over) {
    requireForward(by);
    if (over.isNegative() || over.isZero()) {
      throw new IllegalArgumentException("a gradual advance takes some real time, not " + over);
    }
    long start = System.nanoTime();
    offset.updateAndGet(now -> {
      if (now.ramping(start)) {
        throw new IllegalStateException("this clock is still advancing gradually");
      }
      return new Offset(now.at(start), by.toMillis(), start, over.toNanos());
    });
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.get().at(System.nanoTime());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  private static void requireForward(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a node's clock is only moved forward, not by " + by);
    }
  }
}
