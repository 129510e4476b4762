package io.chamberlain.system.live;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Bounded waiting on a condition, the only way the live harness synchronises with processes — an
 * Awaitility wait with the harness's settings: the condition is polled at once, then every
 * {@link #POLL_INTERVAL}, on the caller's thread, until it holds or the timeout passes (callers pass
 * it already scaled by {@code TestTimeouts}), which throws {@link TimeoutException} naming what was
 * awaited. A condition that throws {@link UncheckedIOException} is treated as "not yet" (a process
 * still starting refuses connections; the failure of the last poll, if it failed so, is in the
 * timeout's cause chain); any other exception ends the wait at once (e.g. "the gateway died"), so a
 * broken run fails fast instead of timing out. Exceptions other threads leave uncaught are not this
 * wait's business (Awaitility would otherwise fail it with them).
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
    try {
      Awaitility.await(description).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
          .pollInSameThread().dontCatchUncaughtExceptions().ignoreExceptionsInstanceOf(UncheckedIOException.class)
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException timedOut) {
      throw new TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for: " + description, timedOut);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
