package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedeliveryPlanTest {

  private static final ChamberKey A = ChamberKey.parse("tool:a");
  private final RedeliveryPlan plan = new RedeliveryPlan(Duration.ofMillis(250), Duration.ofMillis(5_000), 3);

  @Test
  void theHeadBacksOffDoublingToTheCap() {
    long[] delays = new long[7];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = plan.handBack(A, 42, 0).toMillis();
    }
    assertEquals("[250, 500, 1000, 2000, 4000, 5000, 5000]", java.util.Arrays.toString(delays));
    plan.forget(42);
    assertEquals(250, plan.handBack(A, 42, 0).toMillis(), "a forgotten event starts over");
  }

  @Test
  void anEventHandedBackAThousandTimesStaysAtTheCap() {
    for (int i = 1; i < 1_000; i++) {
      plan.handBack(A, 42, 0);
    }
    assertEquals(5_000, plan.handBack(A, 42, 0).toMillis(), "no overflow after many doublings");
  }

  @Test
  void followersComeBackJustAfterTheirHeadNotOnALadderOfTheirOwn() {
    plan.handBack(A, 1, 0);
    plan.handBack(A, 1, 0);
    plan.handBack(A, 1, 0); // the head is due back in 1,000 ms
    assertEquals(1_000 + RedeliveryPlan.FOLLOWER_EXTRA_DELAY.toMillis(), plan.followerDelay(A, 0).toMillis());
    assertEquals(600 + RedeliveryPlan.FOLLOWER_EXTRA_DELAY.toMillis(), plan.followerDelay(A, 400).toMillis());
    assertEquals(250 + RedeliveryPlan.FOLLOWER_EXTRA_DELAY.toMillis(), plan.followerDelay(A, 5_000).toMillis(),
        "a head already due: followers wait the first delay");
    assertEquals(250 + RedeliveryPlan.FOLLOWER_EXTRA_DELAY.toMillis(),
        plan.followerDelay(ChamberKey.parse("tool:b"), 0).toMillis(), "a chamber with no head handed back");
  }

  @Test
  void failuresExhaustAnEventAfterTheConfiguredAttempts() {
    assertFalse(plan.failedAndExhausted(7));
    assertFalse(plan.failedAndExhausted(7));
    assertTrue(plan.failedAndExhausted(7));
    assertEquals(3, plan.failures(7));
    assertFalse(plan.failedAndExhausted(8), "counted per event");
  }

  @Test
  void rejectsAnInconsistentPlan() {
    assertThrows(IllegalArgumentException.class, () -> new RedeliveryPlan(Duration.ZERO, Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class, () -> new RedeliveryPlan(Duration.ofSeconds(2), Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class, () -> new RedeliveryPlan(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
  }
}
