package io.chamberlain.cluster;

import io.chamberlain.leader.DefenderStatus;
import io.chamberlain.leader.Leader;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.wire.ClusterStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's view as the status API shows it ({@code GET /api/cluster}): leader node, term,
 * state, epoch, leased chambers, and per defender its status, node, version, capacity, heartbeat
 * age, held epoch, home chambers, weight, load against its capacity-weighted fair share, chambers
 * it serves for a restarting defender ({@code leasedIn}) and of its own lent out
 * ({@code leasedOut}), and cache hits/misses: the {@link ClusterStatus} it answers and broadcasts.
 */
final class LeaderStatus {

  private LeaderStatus() {
  }

  static ClusterStatus of(String leaderNode, long term, Leader leader, AssignmentSnapshot published,
      Map<String, Heartbeat> lastHeartbeats, Set<String> drained, long now) {
    double totalWeight = leader.chambers().values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> load = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Integer> leasedIn = new HashMap<>();
    Map<String, Integer> leasedOut = new HashMap<>();
    published.chambers().values().forEach(entry -> {
      if (entry.owner() != null) {
        load.merge(entry.owner(), entry.weight(), Double::sum);
        counts.merge(entry.owner(), 1, Integer::sum);
      }
      if (entry.leasedTo() != null) {
        leasedIn.merge(entry.leasedTo(), 1, Integer::sum);
        leasedOut.merge(entry.owner(), 1, Integer::sum);
      }
    });
    double totalCapacity = leader.defenderStatuses().entrySet().stream()
        .filter(e -> e.getValue() == DefenderStatus.LIVE || e.getValue() == DefenderStatus.RESTARTING)
        .mapToDouble(e -> capacityOf(lastHeartbeats.get(e.getKey()))).sum();
    List<ClusterStatus.Defender> defenders = new ArrayList<>();
    // Drained defenders the leader no longer lists (they own nothing, their heartbeats are held out)
    // are shown too, as long as they heartbeat: an operator must see what is drained.
    Map<String, String> shown = new TreeMap<>();
    leader.defenderStatuses().forEach((id, status) -> shown.put(id, status.name()));
    drained.stream().filter(lastHeartbeats::containsKey).forEach(id -> shown.putIfAbsent(id, ClusterStatus.DRAINED));
    shown.forEach((id, status) -> {
      Heartbeat last = lastHeartbeats.get(id);
      double fair = totalCapacity == 0 ? 0 : totalWeight * capacityOf(last) / totalCapacity;
      double weight = load.getOrDefault(id, 0.0);
      defenders.add(new ClusterStatus.Defender(id, drained.contains(id) ? ClusterStatus.DRAINED : status,
          last == null ? null : last.nodeId(), last == null ? null : last.version(), capacityOf(last),
          last == null ? null : now - last.sentAt(), last == null ? null : last.heldEpoch(),
          counts.getOrDefault(id, 0), weight, fair == 0 ? 0 : weight / fair,
          leasedIn.getOrDefault(id, 0), leasedOut.getOrDefault(id, 0),
          last == null ? 0 : last.cacheHits(), last == null ? 0 : last.cacheMisses(),
          last == null ? null : last.processingP99Millis()));
    });
    long unowned = published.chambers().values().stream().filter(e -> e.owner() == null).count()
        + leader.chambers().keySet().stream().filter(c -> !published.knows(c)).count();
    return new ClusterStatus(leaderNode, term, leader.state().name(), leader.stateSinceMillis(), published.epoch(),
        leader.chambers().size(), unowned, leasedOut.values().stream().mapToInt(Integer::intValue).sum(), totalWeight,
        defenders);
  }

  static double capacityOf(Heartbeat last) {
    return last == null ? 1.0 : last.capacity();
  }
}
