package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReroutesTest {

  private final Reroutes<String> reroutes = new Reroutes<>(100, 1_000);

  @Test
  void backOffDoublesPerAttemptUpToTheCap() {
    long now = 0;
    List<Long> waits = new java.util.ArrayList<>();
    for (int attempt = 0; attempt < 6; attempt++) {
      reroutes.park("e1", "defender-1", "no-handler", now);
      long due = now;
      while (reroutes.due(due).isEmpty()) {
        due += 10;
        assertTrue(due - now <= 1_000, "never waits longer than the cap");
      }
      waits.add(due - now);
      now = due;
    }
    assertEquals(List.of(100L, 200L, 400L, 800L, 1_000L, 1_000L), waits);
  }

  @Test
  void aHeartbeatOfTheAwaitedOwnerWakesOnlyItsEvents() {
    reroutes.park("e1", "defender-1", "no-handler", 0);
    reroutes.park("e2", "defender-2", "no-handler", 0);
    reroutes.park("e3", null, "no-owner", 0);
    assertEquals(List.of("e2"), reroutes.waitingFor("defender-2"));
    assertEquals(List.of("e1", "e3"), reroutes.all(), "a new assignment wakes every waiting event, in order;"
        + " e2 no longer waits");
    assertEquals(0, reroutes.size());
  }

  @Test
  void aNewAssignmentWakesOnlyTheEventsItRoutesElsewhere() {
    reroutes.park("moved", "defender-1", "not-owner", 0);
    reroutes.park("unchanged", "defender-2", "not-owner", 0);
    reroutes.park("known-now", null, "unknown-chamber", 0);
    reroutes.park("still-unknown", null, "unknown-chamber", 0);
    java.util.Map<String, String> routes = java.util.Map.of("moved", "defender-3", "unchanged", "defender-2",
        "known-now", "defender-1");
    assertEquals(List.of("moved", "known-now"), reroutes.routedElsewhere(routes::get));
    assertEquals(List.of("unchanged"), reroutes.waitingFor("defender-2"), "waits for its owner's heartbeat");
    assertEquals(List.of("still-unknown"), reroutes.due(100), "and the back-off still applies");
  }

  @Test
  void eachReasonIsCountedOncePerEventNotOncePerTry() {
    assertTrue(reroutes.park("e1", "defender-1", "no-handler", 0));
    assertFalse(reroutes.park("e1", "defender-1", "no-handler", 100));
    assertTrue(reroutes.park("e1", "defender-2", "not-owner", 300), "a new reason counts");
    reroutes.forget("e1");
    assertTrue(reroutes.park("e1", "defender-1", "no-handler", 400), "forgotten: a fresh event");
    assertEquals(List.of("e1"), reroutes.due(500), "and its back-off starts over");
  }

  @Test
  void rejectsAnInconsistentBackOff() {
    assertThrows(IllegalArgumentException.class, () -> new Reroutes<String>(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new Reroutes<String>(100, 50));
  }
}
