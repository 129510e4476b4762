package io.chamberlain.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Measured cost per chamber: milliseconds, an EWMA with {@link CostMeter#ALPHA}, only the chambers asked for. */
class CostMeterTest {

  private static final ChamberKey FIRST = ChamberKey.parse("tool001:1");
  private static final ChamberKey SECOND = ChamberKey.parse("tool002:7");
  private static final double EXACT = 1e-9;

  private final CostMeter meter = new CostMeter();

  private void record(ChamberKey chamber, double millis) {
    meter.record(chamber, (long) (millis * TimeUnit.MILLISECONDS.toNanos(1)));
  }

  @Test
  void theFirstMeasurementIsTheCostInMilliseconds() {
    record(FIRST, 12.5);
    assertEquals(Map.of("tool001:1", 12.5), meter.of(List.of(FIRST)));
  }

  @Test
  void laterMeasurementsMoveTheAverageByAlpha() {
    record(FIRST, 10);
    record(FIRST, 20);
    double afterTwo = 10 + CostMeter.ALPHA * (20 - 10);
    assertEquals(12.0, afterTwo, EXACT, "ALPHA is 0.2 as documented");
    assertEquals(afterTwo, meter.of(List.of(FIRST)).get("tool001:1"), EXACT);
    record(FIRST, 20);
    assertEquals(afterTwo + CostMeter.ALPHA * (20 - afterTwo), meter.of(List.of(FIRST)).get("tool001:1"), EXACT);
  }

  @Test
  void chambersAreAveragedIndependently() {
    record(FIRST, 10);
    record(SECOND, 100);
    record(SECOND, 200);
    assertEquals(Map.of("tool001:1", 10.0, "tool002:7", 120.0), meter.of(List.of(FIRST, SECOND)));
  }

  @Test
  void onlyMeasuredChambersThatWereAskedForAreReported() {
    record(FIRST, 10);
    record(SECOND, 30);
    ChamberKey neverMeasured = ChamberKey.parse("tool003:1");
    assertEquals(Map.of("tool002:7", 30.0), meter.of(List.of(SECOND, neverMeasured)));
    assertTrue(meter.of(List.of()).isEmpty());
  }

  @Test
  void theArrivalRateFollowsTheTimeBetweenContextsAndFadesWhenTheyStop() {
    long[] now = {1_000_000};
    CostMeter timed = new CostMeter(() -> now[0]);
    timed.record(FIRST, 1_000_000);
    assertEquals(Map.of(), timed.ratesOf(List.of(FIRST)), "one context: no rate yet");
    for (int i = 0; i < 50; i++) {
      now[0] += 2_000;
      timed.record(FIRST, 1_000_000);
    }
    assertEquals(0.5, timed.ratesOf(List.of(FIRST)).get("tool001:1"), 1e-6, "one context every 2 s");
    now[0] += 10_000;
    assertEquals(0.1, timed.ratesOf(List.of(FIRST)).get("tool001:1"), 1e-6, "silent for 10 s: at most one per 10 s");
    assertEquals(Map.of(), timed.ratesOf(List.of(SECOND)));
  }
}
