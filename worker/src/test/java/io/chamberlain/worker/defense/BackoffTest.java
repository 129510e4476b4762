package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failing program's restart delay: doubling per failure up to the cap, reset by one success. */
class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

  @Test
  void doublesPerConsecutiveFailureUpToTheCap() {
    List<Long> delays = new ArrayList<>();
    for (int failure = 0; failure < 9; failure++) {
      delays.add(backoff.failed().toMillis());
    }
    assertEquals(List.of(200L, 400L, 800L, 1_600L, 3_200L, 6_400L, 10_000L, 10_000L, 10_000L), delays);
    assertEquals(9, backoff.consecutiveFailures());
  }

  @Test
  void oneSuccessStartsItOver() {
    backoff.failed();
    backoff.failed();
    backoff.succeeded();
    assertEquals(0, backoff.consecutiveFailures());
    assertEquals(Duration.ofMillis(200), backoff.failed());
  }

  @Test
  void aLongRunOfFailuresStaysAtTheCap() {
    for (int failure = 1; failure < 1_000; failure++) {
      backoff.failed();
    }
    assertEquals(Duration.ofSeconds(10), backoff.failed(), "no overflow after many doublings");
  }

  @Test
  void rejectsAnInconsistentBackoff() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofNanos(500_000), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
