package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.gateway.SuspicionDetector.Outstanding;
import io.chamberlain.gateway.SuspicionDetector.Suspicion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a gateway reports a defender as suspected, and when it must not: table tests by situation. */
class SuspicionDetectorTest {

  private static final ChamberKey FAST = new ChamberKey("tool001", "1");
  private static final ChamberKey SLOW = new ChamberKey("tool002", "1");
  private static final long SUSPECT_AFTER = 1_700;
  private static final long LATE = 1_000;

  private final SuspicionDetector detector = new SuspicionDetector(SUSPECT_AFTER, LATE);

  @Test
  void frozenOwnerIsReportedOnceItsRequestIsOverdueAndItsHeartbeatLate() {
    detector.heartbeat("d1", 0, Map.of(FAST, 20.0));
    List<Outstanding> inFlight = List.of(new Outstanding("d1", FAST, 100));
    assertEquals(List.of(), detector.check(100 + SUSPECT_AFTER + 40, inFlight), "not yet beyond 2 × its 20 ms");
    List<Suspicion> reported = detector.check(100 + SUSPECT_AFTER + 41, inFlight);
    assertEquals(1, reported.size());
    assertEquals("d1", reported.get(0).defenderId());
    assertTrue(reported.get(0).evidence().contains("tool001:1 outstanding 1741 ms"), reported.get(0).evidence());
    assertTrue(reported.get(0).evidence().contains("no heartbeat here for 1841 ms"), reported.get(0).evidence());
  }

  /** A 1.5 s stop-the-world pause: requests end up outstanding 1.5 s plus their processing, never more. */
  @Test
  void aPauseOfOneAndAHalfSecondsIsNeverReported() {
    detector.heartbeat("d1", 0, Map.of(FAST, 20.0));
    List<Outstanding> inFlight = List.of(new Outstanding("d1", FAST, 10));
    for (long now = 10; now <= 10 + 1_500 + 20; now += 10) {
      assertEquals(List.of(), detector.check(now, inFlight), "at " + now);
    }
  }

  @Test
  void aSlowChamberOnADefenderThatStillHeartbeatsIsNotReported() {
    for (long t = 0; t <= 5_000; t += 500) {
      detector.heartbeat("d1", t, Map.of());
    }
    assertEquals(List.of(), detector.check(5_000, List.of(new Outstanding("d1", FAST, 0))));
  }

  @Test
  void aChamberThatIsSlowByItselfGetsTwiceItsProcessingTimeOnTop() {
    detector.heartbeat("d1", 0, Map.of(SLOW, 3_000.0));
    List<Outstanding> inFlight = List.of(new Outstanding("d1", SLOW, 0));
    assertEquals(List.of(), detector.check(SUSPECT_AFTER + 6_000, inFlight));
    assertEquals(1, detector.check(SUSPECT_AFTER + 6_001, inFlight).size());
  }

  @Test
  void aDefenderNeverHeardFromIsNotReported() {
    assertEquals(List.of(), detector.check(60_000, List.of(new Outstanding("d9", FAST, 0))),
        "no heartbeat seen here (this gateway just started): no evidence its heartbeat is late");
  }

  @Test
  void eachDefenderIsReportedAtMostOncePerLateInterval() {
    detector.heartbeat("d1", 0, Map.of());
    detector.heartbeat("d2", 0, Map.of());
    List<Outstanding> inFlight = List.of(new Outstanding("d1", FAST, 0), new Outstanding("d1", SLOW, 10),
        new Outstanding("d2", FAST, 0));
    assertEquals(List.of("d1", "d2"), detector.check(2_000, inFlight).stream().map(Suspicion::defenderId).toList(),
        "one report per defender, in id order");
    assertEquals(List.of(), detector.check(2_500, inFlight));
    assertEquals(2, detector.check(3_000, inFlight).size(), "reported again: a heartbeat may have cleared it");
  }

  @Test
  void onlyDefendersWithALateHeartbeatNeedTheirRequestsLookedAt() {
    detector.heartbeat("d1", 0, Map.of());
    detector.heartbeat("d2", 900, Map.of());
    assertEquals(java.util.Set.of("d1"), detector.late(1_000));
    detector.check(2_000, List.of(new Outstanding("d1", FAST, 0)));
    assertEquals(java.util.Set.of("d2"), detector.late(2_000), "d1 was just reported");
  }
}
