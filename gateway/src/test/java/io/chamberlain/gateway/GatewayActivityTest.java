package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.GatewayStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a gateway reports of its second, and of one chamber. */
class GatewayActivityTest {

  private static final ChamberKey ONE = ChamberKey.parse("tool1:1");
  private static final ChamberKey TWO = ChamberKey.parse("tool1:2");

  @Test
  void aSecondCountsVerdictsSamplesLatenciesAndListsBreachesAndHeldChambers() {
    GatewayActivity activity = new GatewayActivity("gw-1");
    for (int i = 0; i < 5_000; i++) {
      activity.verdict(ONE, i % 100, false, "defender-1", "ctx-" + i);
    }
    for (int i = 0; i < 30; i++) {
      activity.verdict(TWO, 6_000, true, "defender-2", "late-" + i);
    }
    activity.held(0, Map.of(TWO, new GatewayActivity.Held(4, 1_000)));
    GatewayStats second = activity.tick(2_000);
    assertEquals(5_030, second.events());
    assertEquals(GatewayStats.MAX_LATENCIES, second.latencyMillis().size(), "a bounded sample");
    assertEquals(30, second.slaBreachesTotal());
    assertEquals(GatewayStats.MAX_BREACHES, second.breaches().size(), "breaches listed up to the bound");
    assertEquals("tool1:2", second.chambers().get(0).chamber(), "the chamber holding events first");
    assertEquals(4, second.chambers().get(0).held());
    assertEquals(30, second.chambers().get(0).finished());

    GatewayStats next = activity.tick(3_000);
    assertEquals(0, next.events(), "a tick starts the next second");
    assertEquals(30, next.slaBreachesTotal(), "the breach count is a counter");
    assertEquals(4, activity.heldOf(TWO).events());
  }

  @Test
  void aChambersLatencyIsOverItsLastSixtyFourEvents() {
    GatewayActivity activity = new GatewayActivity("gw-1");
    for (int i = 1; i <= 200; i++) {
      activity.verdict(ONE, i <= 136 ? 10_000 : i - 136, false, "defender-1", "ctx-" + i);
    }
    GatewayActivity.ChamberLatency latency = activity.latencyOf(ONE);
    assertEquals(GatewayActivity.CHAMBER_LATENCIES, latency.samples());
    assertEquals(32, latency.p50Millis(), "the last 64 were 1..64 ms");
    assertEquals(64, latency.p99Millis());
    assertEquals(0, activity.latencyOf(TWO).samples());
  }
}
