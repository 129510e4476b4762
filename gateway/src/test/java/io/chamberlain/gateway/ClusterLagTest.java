package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.wire.GatewayStats;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lag by chamber and defender from the gateways' seconds, on a made-up clock. */
class ClusterLagTest {

  private static final long WINDOW = 10_000;
  private static final long SLA = 5_000;
  private static final Map<String, String> SERVED_BY = Map.of("t:1", "defender-1", "t:2", "defender-1", "t:3", "defender-2");

  private static GatewayStats second(long at, GatewayStats.ChamberActivity... chambers) {
    return new GatewayStats("gw", at, 0, 0, List.of(), List.of(), List.of(chambers));
  }

  @Test
  void aChamberHoldingEventsThatNeverFinishStallsAndItsDefenderWithIt() {
    ClusterLag lag = new ClusterLag(WINDOW, SLA);
    long start = 1_000_000;
    for (long t = start; t <= start + 11_000; t += 1_000) {
      lag.record(t, List.of(
          second(t, new GatewayStats.ChamberActivity("t:1", 3, start - 100, 0),
              new GatewayStats.ChamberActivity("t:3", 1, t - 50, 1))), SERVED_BY::get);
    }
    JsonObject stuck = lag.chambers().getJsonObject(0);
    assertEquals("t:1", stuck.getString("chamber"), "worst first: " + lag.chambers().encodePrettily());
    assertEquals("STALL", stuck.getString("verdict"), stuck.encodePrettily());
    assertEquals("defender-1", stuck.getString("servedBy"));
    assertEquals(3, stuck.getLong("pending"));
    assertTrue(stuck.getLong("oldestPendingAgeMillis") > 11_000);
    JsonObject moving = lag.chambers().getJsonObject(1);
    assertEquals("t:3", moving.getString("chamber"));
    assertEquals("OK", moving.getString("verdict"), "it finishes events every second: " + moving.encodePrettily());
    assertEquals("STALL", lag.verdictOf("defender-1"));
    assertEquals("OK", lag.verdictOf("defender-2"));
    assertEquals("OK", lag.verdictOf("defender-9"), "no readings: OK");
  }

  @Test
  void aChamberThatCaughtUpIsDroppedFromTheListAfterAQuietWindow() {
    ClusterLag lag = new ClusterLag(WINDOW, SLA);
    long t = 1_000_000;
    lag.record(t, List.of(second(t, new GatewayStats.ChamberActivity("t:2", 1, t - 10, 0))), SERVED_BY::get);
    assertEquals(1, lag.chambers().size());
    lag.record(t + 1_000, List.of(second(t + 1_000, new GatewayStats.ChamberActivity("t:2", 0, 0, 1))), SERVED_BY::get);
    assertEquals(0, lag.chambers().size(), "nothing held, verdict OK: not listed");
    assertEquals(1, lag.defenders().size(), "its defender still has a line");
    assertEquals(0, lag.defenders().getJsonObject(0).getLong("pending"));
  }
}
