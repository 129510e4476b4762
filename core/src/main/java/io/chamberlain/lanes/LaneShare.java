package io.chamberlain.lanes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the completions' ingestion lanes are shared among the live gateways: what one gateway should
 * let go of and which free lanes it may claim. Pure and deterministic: every gateway runs it on its
 * own view of the roster ({@link GatewayRoster}) and acts only on its own lanes; exclusivity comes
 * from the per-lane lock, not from this decision, so two gateways with briefly different views cost
 * at most a lane that moves twice.
 *
 * <p>Targets: with {@code K} lanes over {@code n} live gateways each gateway gets {@code K / n} lanes,
 * and {@code K mod n} of them one more — those that hold the most already (ties by id), so a
 * balanced share stays as it is. A gateway above its target releases its highest-numbered extras;
 * one below it claims free lanes (held by no live gateway). Consequences, tested:
 * <ul>
 *   <li>a gateway that joins takes lanes from those above their new target, and only that many;
 *   <li>a gateway that dies frees only its own lanes; the survivors below their new target take them
 *       and keep every lane they held.
 * </ul>
 */
public final class LaneShare {

  private LaneShare() {
  }

  /** A live gateway and the lanes it holds. */
  public record Holder(String gatewayId, Set<Integer> lanes) {
    public Holder {
      lanes = Set.copyOf(lanes);
    }
  }

  /**
   * What {@code self} should do now.
   *
   * @param release lanes to let go of (stop ingesting, then unlock), highest first
   * @param claimable free lanes {@code self} may try to take (one at a time, deciding again after
   *     each), in its order of preference; empty when it holds its share
   * @param target how many lanes {@code self} should hold
   */
  public record Decision(List<Integer> release, List<Integer> claimable, int target) {
    public Decision {
      release = List.copyOf(release);
      claimable = List.copyOf(claimable);
    }
  }

  /** The target share of every live gateway ({@code live} names each gateway once). */
  public static Map<String, Integer> targets(int laneCount, Collection<Holder> live) {
    requireLanes(laneCount);
    List<Holder> ranked = new ArrayList<>(live);
    ranked.sort(Comparator.comparingInt((Holder h) -> -h.lanes().size()).thenComparing(Holder::gatewayId));
    Map<String, Integer> targets = new HashMap<>();
    int n = ranked.size();
    for (int i = 0; i < n; i++) {
      targets.put(ranked.get(i).gatewayId(), laneCount / n + (i < laneCount % n ? 1 : 0));
    }
    return targets;
  }

  /**
   * @param live every gateway seen alive, {@code self} included (with the lanes it holds)
   */
  public static Decision decide(int laneCount, String self, Collection<Holder> live) {
    Holder me = live.stream().filter(h -> h.gatewayId().equals(self)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("gateway " + self + " is not among the live ones " + live));
    int target = targets(laneCount, live).get(self);
    TreeSet<Integer> mine = new TreeSet<>(me.lanes());
    List<Integer> release = new ArrayList<>();
    while (mine.size() - release.size() > target) {
      release.add(mine.descendingSet().stream().filter(l -> !release.contains(l)).findFirst().orElseThrow());
    }
    if (mine.size() >= target) {
      return new Decision(release, List.of(), target);
    }
    Set<Integer> held = new TreeSet<>();
    live.forEach(h -> held.addAll(h.lanes()));
    List<Integer> free = new ArrayList<>();
    // Start at a point of the ring that depends on the gateway, so gateways claiming at once mostly
    // try different lanes first instead of all racing for lane 0.
    int start = Math.floorMod(self.hashCode(), laneCount);
    for (int i = 0; i < laneCount; i++) {
      int lane = (start + i) % laneCount;
      if (!held.contains(lane)) {
        free.add(lane);
      }
    }
    return new Decision(release, free, target);
  }

  static void requireLanes(int laneCount) {
    if (laneCount < 1) {
      throw new IllegalArgumentException("lane count must be ≥ 1, was " + laneCount);
    }
  }
}
