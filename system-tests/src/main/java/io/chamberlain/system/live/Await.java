package io.chamberlain.system.live;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting on a condition, the only way the live harness synchronises with processes:
 * the condition is polled every {@link #POLL_INTERVAL} until it holds or the (already scaled)
 * timeout passes, which throws {@link TimeoutException} naming what was awaited. A condition that
 * throws {@link UncheckedIOException} is treated as "not yet" (a process still starting refuses
 * connections; the last such failure is attached to the timeout); any other exception ends the
 * wait at once (e.g. "the gateway died"), so a broken run fails fast instead of timing out.
 */
public final class Await {

  public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private Await() {
  }

  /** Thrown when a condition did not hold in time. */
  public static final class TimeoutException extends RuntimeException {
    public TimeoutException(String message, Throwable lastFailure) {
      super(message, lastFailure);
    }
  }

  /** Waits until {@code condition} holds; returns how long that took. */
  public static Duration until(String description, Duration timeout, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    UncheckedIOException lastFailure = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (UncheckedIOException notYet) {
        lastFailure = notYet;
      }
      if (System.nanoTime() >= deadline) {
        throw new TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for: " + description,
            lastFailure);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis()); // polling interval of a bounded wait, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
