package io.chamberlain.lanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayRosterTest {

  private final GatewayRoster roster = new GatewayRoster("a", 4, 1_000);

  @Test
  void aGatewayHeardLatelyWhoseNodeIsAMemberIsLive() {
    roster.heard("b", "node-b", 4, Set.of(2, 3), 100);
    assertEquals(List.of(new LaneShare.Holder("a", Set.of(0, 1)), new LaneShare.Holder("b", Set.of(2, 3))),
        roster.live(Set.of(0, 1), 500, node -> true));
  }

  @Test
  void aGatewayNotHeardWithinTheExpiryOrWhoseNodeLeftIsNot() {
    roster.heard("b", "node-b", 4, Set.of(2), 100);
    roster.heard("c", "node-c", 4, Set.of(3), 100);
    assertEquals(List.of(new LaneShare.Holder("a", Set.of())), roster.live(Set.of(), 1_101, node -> true));
    roster.heard("b", "node-b", 4, Set.of(2), 2_000);
    assertEquals(1, roster.live(Set.of(), 2_100, node -> !node.equals("node-b")).size());
  }

  @Test
  void aGatewayWithAnotherLaneCountIsNoPeer() {
    assertFalse(roster.heard("b", "node-b", 8, Set.of(5), 100));
    assertEquals(1, roster.live(Set.of(), 200, node -> true).size());
  }
}
