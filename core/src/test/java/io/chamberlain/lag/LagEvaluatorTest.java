package io.chamberlain.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LagEvaluatorTest {

  private static final long WINDOW = 10_000;
  private static final long SLA = 5_000;
  private final LagEvaluator lane = new LagEvaluator(WINDOW, SLA);

  private LagAssessment read(long at, long floor, long undelivered, long inFlight, long oldestAge) {
    return lane.record(new LagSample(at, floor, undelivered, inFlight, oldestAge, true));
  }

  @Test
  void nothingWaitingIsOkAndClearsAtOnce() {
    LagAssessment now = read(0, 100, 0, 0, 0);
    assertEquals(LagVerdict.OK, now.verdict());
    assertEquals(0, now.estimatedClearMillis());
  }

  @Test
  void aYoungMovingBacklogIsOkWithAnEstimateToClear() {
    LagAssessment now = null;
    for (int s = 0; s <= 10; s++) {
      now = read(s * 1_000L, 100 + 50L * s, 20, 30, 300);
    }
    assertEquals(LagVerdict.OK, now.verdict(), now.reason());
    assertEquals(50.0, now.ackRatePerSecond(), 0.01);
    assertEquals(1_000, now.estimatedClearMillis(), "50 waiting at 50 acks/s");
  }

  @Test
  void theTrendComparesTheBacklogWithTheWindowsFirstReading() {
    assertEquals(LagAssessment.Trend.STEADY, read(0, 100, 10, 0, 100).trend());
    assertEquals(LagAssessment.Trend.GROWING, read(1_000, 110, 30, 0, 100).trend());
    assertEquals(LagAssessment.Trend.SHRINKING, read(2_000, 140, 5, 0, 100).trend(), "5 waiting against the first 10");
  }

  @Test
  void anOldestEventOlderThanHalfTheSlaWarns() {
    LagAssessment now = read(0, 100, 10, 5, 2_600);
    assertEquals(LagVerdict.WARN, now.verdict());
    assertTrue(now.reason().contains("2600 ms old"), now.reason());
  }

  @Test
  void anOldestEventThatAgesAtEveryReadingWarnsEvenWhileYoung() {
    LagAssessment now = null;
    for (int s = 0; s <= 10; s++) {
      now = read(s * 1_000L, 100 + s, 10, 5, 100 + 100L * s);
    }
    assertEquals(LagVerdict.WARN, now.verdict(), now.reason());
  }

  @Test
  void aFrozenAckFloorStallsAfterAWindowAndStopsAfterThree() {
    LagAssessment now = null;
    for (int s = 0; s <= 10; s++) {
      now = read(s * 1_000L, 100, 10, 5, 100);
    }
    assertEquals(LagVerdict.STALL, now.verdict(), now.reason());
    assertEquals(-1, now.estimatedClearMillis(), "never clears at 0 acks/s");
    for (int s = 11; s <= 30; s++) {
      now = read(s * 1_000L, 100, 10, 5, 100);
    }
    assertEquals(LagVerdict.STOP, now.verdict(), now.reason());
  }

  @Test
  void eventsWithoutAConsumerStop() {
    LagAssessment now = lane.record(new LagSample(0, 0, 12, 0, 900, false));
    assertEquals(LagVerdict.STOP, now.verdict());
    assertTrue(now.reason().contains("no consumer"), now.reason());
  }

  @Test
  void aStallEndsAsSoonAsTheFloorMoves() {
    for (int s = 0; s <= 10; s++) {
      read(s * 1_000L, 100, 10, 5, 100);
    }
    assertEquals(LagVerdict.OK, read(11_000, 140, 10, 5, 100).verdict());
  }
}
