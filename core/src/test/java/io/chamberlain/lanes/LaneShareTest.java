package io.chamberlain.lanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.lanes.LaneShare.Decision;
import io.chamberlain.lanes.LaneShare.Holder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LaneShareTest {

  @Test
  void aLoneGatewayClaimsEveryLane() {
    Decision decision = LaneShare.decide(4, "a", List.of(new Holder("a", Set.of())));
    assertEquals(4, decision.target());
    assertEquals(Set.of(0, 1, 2, 3), Set.copyOf(decision.claimable()));
    assertTrue(decision.release().isEmpty());
  }

  @Test
  void aJoiningGatewayTakesOnlyTheExtrasOfThoseAboveTheirNewTarget() {
    Map<String, Set<Integer>> held = settle(8, new TreeMap<>(Map.of("a", Set.of(0, 1, 2, 3), "b", Set.of(4, 5, 6, 7), "c", Set.of())));
    assertEquals(List.of(3, 3, 2), held.values().stream().map(Set::size).sorted((x, y) -> y - x).toList());
    assertTrue(Set.of(0, 1, 2, 3).containsAll(held.get("a")), "a kept its lanes: " + held);
    assertTrue(Set.of(4, 5, 6, 7).containsAll(held.get("b")), "b kept its lanes: " + held);
  }

  @Test
  void aDeadGatewaysLanesGoToTheSurvivorsWhoKeepTheirOwn() {
    Map<String, Set<Integer>> before = new TreeMap<>(Map.of("a", Set.of(0, 1, 2), "b", Set.of(3, 4, 5), "c", Set.of(6, 7)));
    Map<String, Set<Integer>> after = new TreeMap<>(before);
    after.remove("c");
    after = settle(8, after);
    assertTrue(after.get("a").containsAll(before.get("a")) && after.get("b").containsAll(before.get("b")), after.toString());
    assertEquals(4, after.get("a").size());
    assertEquals(4, after.get("b").size());
  }

  @Test
  void aBalancedShareStaysAsItIs() {
    List<Holder> live = List.of(new Holder("a", Set.of(0, 1)), new Holder("b", Set.of(2)), new Holder("c", Set.of(3, 4)));
    for (Holder gateway : live) {
      Decision decision = LaneShare.decide(5, gateway.gatewayId(), live);
      assertTrue(decision.release().isEmpty() && decision.claimable().isEmpty(), gateway + " → " + decision);
    }
  }

  @Test
  void aGatewayAboveItsTargetReleasesItsHighestLanes() {
    Decision decision = LaneShare.decide(4, "a", List.of(new Holder("a", Set.of(0, 1, 2, 3)), new Holder("b", Set.of())));
    assertEquals(List.of(3, 2), decision.release());
  }

  @Test
  void moreGatewaysThanLanesLeaveTheRestStandingBy() {
    Map<String, Set<Integer>> held = settle(1, new TreeMap<>(Map.of("a", Set.of(0), "b", Set.of(), "c", Set.of())));
    assertEquals(Set.of(0), held.get("a"));
    assertEquals(Set.of(), held.get("b"));
  }

  /**
   * Plays the gateways' decisions in rounds — every gateway releases, then each claims its first
   * claimable lane in turn (the lock lets one win) — until nothing changes; bounded.
   */
  private static Map<String, Set<Integer>> settle(int lanes, Map<String, Set<Integer>> start) {
    Map<String, Set<Integer>> held = new TreeMap<>();
    start.forEach((id, l) -> held.put(id, new HashSet<>(l)));
    for (int round = 0; round < 4 * lanes + 4; round++) {
      boolean changed = false;
      for (String id : held.keySet()) {
        Decision decision = LaneShare.decide(lanes, id, holders(held));
        changed |= held.get(id).removeAll(decision.release());
      }
      for (String id : held.keySet()) {
        Decision decision = LaneShare.decide(lanes, id, holders(held));
        if (!decision.claimable().isEmpty()) {
          held.get(id).add(decision.claimable().get(0));
          changed = true;
        }
      }
      if (!changed) {
        Set<Integer> all = new HashSet<>();
        held.values().forEach(all::addAll);
        assertEquals(lanes, all.size(), "every lane held: " + held);
        assertEquals(lanes, held.values().stream().mapToInt(Set::size).sum(), "no lane held twice: " + held);
        return held;
      }
    }
    throw new AssertionError("no stable share after many rounds: " + held);
  }

  private static List<Holder> holders(Map<String, Set<Integer>> held) {
    List<Holder> holders = new ArrayList<>();
    new HashMap<>(held).forEach((id, l) -> holders.add(new Holder(id, l)));
    return holders;
  }
}
