package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What "settled" means to the harness, read from a {@code GET /api/cluster} body as the gateway sends it. */
class ClusterViewTest {

  private static ClusterView view(long unowned, int chambers, String defendersJson) {
    return view("STABLE", unowned, chambers, defendersJson);
  }

  private static ClusterView view(String state, long unowned, int chambers, String defendersJson) {
    return ClusterView.fromJson(new JsonObject("{\"leaderNode\":\"node-b\",\"term\":3,\"epoch\":4,\"chambers\":"
        + chambers + ",\"unownedChambers\":" + unowned + ",\"state\":\"" + state + "\",\"defenders\":"
        + defendersJson + "}"));
  }

  @Test
  void readsEpochUnownedAndChamberCountsPerDefender() {
    ClusterView view = view(0, 30, "[{\"id\":\"defender-1\",\"chambers\":0,\"weight\":0.0},"
        + "{\"id\":\"defender-2\",\"chambers\":30,\"weight\":1.0}]");
    assertEquals(4, view.epoch());
    assertEquals(Map.of("defender-1", 0, "defender-2", 30), view.chambersByDefender());
    assertTrue(view.settledOn(Set.of("defender-1", "defender-2")), "a defender without chambers is still settled");
  }

  @Test
  void unownedChambersAMissingOrExtraDefenderOrUncountedChambersAreNotSettled() {
    String two = "[{\"id\":\"defender-1\",\"chambers\":10},{\"id\":\"defender-2\",\"chambers\":20}]";
    assertFalse(view(1, 30, two).settledOn(Set.of("defender-1", "defender-2")));
    assertFalse(view(0, 30, two).settledOn(Set.of("defender-1")));
    assertFalse(view(0, 30, two).settledOn(Set.of("defender-1", "defender-2", "defender-3")));
    assertFalse(view(0, 31, two).settledOn(Set.of("defender-1", "defender-2")), "a chamber nobody counts");
    assertFalse(view(0, 0, "[]").settledOn(Set.of()), "no chambers known yet");
  }

  @Test
  void aLeaderWithWorkPendingIsNotSettled() {
    String two = "[{\"id\":\"defender-1\",\"chambers\":10},{\"id\":\"defender-2\",\"chambers\":20}]";
    for (String state : new String[] {"COLD_START", "SCALING", "EMERGENCY", "ROLLING_UPDATE"}) {
      assertFalse(view(state, 0, 30, two).settledOn(Set.of("defender-1", "defender-2")), state);
    }
  }

  @Test
  void readsTermLeaderNodeAndEveryDefenderWithItsNodeAndHeldEpoch() {
    ClusterView view = view(0, 30, "[{\"id\":\"defender-1\",\"status\":\"DEAD\",\"node\":\"node-a\",\"heldEpoch\":null},"
        + "{\"id\":\"defender-2\",\"status\":\"LIVE\",\"node\":\"node-b\",\"heldEpoch\":4,\"chambers\":30}]");
    assertEquals(3, view.term());
    assertEquals(java.util.Optional.of("defender-2"), view.defenderOnLeaderNode());
    assertEquals(-1, view.defenders().get("defender-1").heldEpoch(), "no heartbeat yet");
    assertEquals(4, view.defenders().get("defender-2").heldEpoch());
    assertEquals(Map.of("defender-2", 30), view.chambersByDefender(), "a dead defender takes nothing");
    assertEquals("DEAD", view.defenders().get("defender-1").status());
  }

  @Test
  void leaseCountsAreOptionalAndALeaseStillGoingOnIsNotSettled() {
    String two = "[{\"id\":\"defender-1\",\"chambers\":10},{\"id\":\"defender-2\",\"chambers\":20,"
        + "\"leasedIn\":3,\"leasedOut\":0}]";
    ClusterView today = view(0, 30, two);
    assertEquals(0, today.leasedChambers());
    assertEquals(0, today.defenders().get("defender-1").leasedIn(), "absent = 0");
    assertEquals(3, today.defenders().get("defender-2").leasedIn());
    ClusterView leasing = ClusterView.fromJson(new JsonObject("{\"state\":\"STABLE\",\"epoch\":4,\"chambers\":30,"
        + "\"unownedChambers\":0,\"leasedChambers\":3,\"defenders\":" + two + "}"));
    assertEquals(3, leasing.leasedChambers());
    assertFalse(leasing.settledOn(Set.of("defender-1", "defender-2")), "chambers still lent out");
  }

  @Test
  void anEmptyCatalogIsStableButNotSettledAndAThawedDefenderMayBeBackOrNot() {
    ClusterView empty = view(0, 0, "[{\"id\":\"defender-1\",\"chambers\":0}]");
    assertTrue(empty.stableOn(Set.of("defender-1")));
    assertFalse(empty.settledOn(Set.of("defender-1")));
    ClusterView three = view(0, 30, "[{\"id\":\"d1\",\"chambers\":10},{\"id\":\"d2\",\"chambers\":20}]");
    assertTrue(three.settledAmong(Set.of("d1"), Set.of("d1", "d2", "d3")));
    assertFalse(three.settledAmong(Set.of("d1", "d3"), Set.of("d1", "d2", "d3")), "a required defender is missing");
    assertFalse(three.settledAmong(Set.of("d1"), Set.of("d1")), "a defender that is not allowed owns chambers");
  }
}
