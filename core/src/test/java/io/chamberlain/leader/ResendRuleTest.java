package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResendRuleTest {

  private final ResendRule rule = new ResendRule(1_000);

  @Test
  void aDefenderStillBehindTwoIntervalsAfterThePublicationMissedIt() {
    assertTrue(rule.missed(6, 7, 10_000, 12_001));
  }

  @Test
  void aHeartbeatSentBeforeTheDeltaArrivedIsNotAMiss() {
    assertFalse(rule.missed(6, 7, 10_000, 10_500), "in flight while the delta was on its way");
    assertFalse(rule.missed(6, 7, 10_000, 12_000), "exactly two intervals is still in time");
  }

  @Test
  void aDefenderHoldingTheNewestEpochIsNeverResent() {
    assertFalse(rule.missed(7, 7, 10_000, 60_000));
    assertFalse(rule.missed(8, 7, 10_000, 60_000), "a newer epoch than this leader's: not ours to correct");
  }

  @Test
  void theIntervalMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ResendRule(0));
  }
}
