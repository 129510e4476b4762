package io.chamberlain.lanes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The gateways a gateway has heard from lately, with the lanes each said it holds. Every gateway
 * announces itself a few times a second; one not heard from for {@code expiryMillis}, or whose
 * cluster node has left (the adapter knows membership, so a crash counts at once, not after the
 * expiry), is not live. A gateway configured with another lane count is no peer: it is reported,
 * never counted, because shares of different lane counts cannot add up.
 */
public final class GatewayRoster {

  private record Entry(String nodeId, Set<Integer> lanes, long heardAt) {
  }

  private final String self;
  private final int laneCount;
  private final long expiryMillis;
  private final Map<String, Entry> heard = new HashMap<>();

  public GatewayRoster(String self, int laneCount, long expiryMillis) {
    LaneShare.requireLanes(laneCount);
    this.self = self;
    this.laneCount = laneCount;
    this.expiryMillis = expiryMillis;
  }

  /**
   * A gateway's announcement. Returns false, recording nothing, when it runs with another lane count
   * (a configuration error the caller reports).
   */
  public boolean heard(String gatewayId, String nodeId, int theirLaneCount, Set<Integer> lanes, long now) {
    if (theirLaneCount != laneCount) {
      return false;
    }
    if (!gatewayId.equals(self)) {
      heard.put(gatewayId, new Entry(nodeId, Set.copyOf(lanes), now));
    }
    return true;
  }

  /**
   * The live gateways: this one with {@code ownLanes}, and every other heard within the expiry
   * whose node is still a member ({@code isMember}). Expired entries are forgotten.
   */
  public List<LaneShare.Holder> live(Set<Integer> ownLanes, long now, Predicate<String> isMember) {
    heard.values().removeIf(entry -> now - entry.heardAt() > expiryMillis || !isMember.test(entry.nodeId()));
    List<LaneShare.Holder> live = new ArrayList<>();
    live.add(new LaneShare.Holder(self, ownLanes));
    heard.forEach((id, entry) -> live.add(new LaneShare.Holder(id, entry.lanes())));
    return live;
  }
}
