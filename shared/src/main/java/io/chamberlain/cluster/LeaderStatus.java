package io.chamberlain.cluster;

import io.chamberlain.leader.DefenderStatus;
import io.chamberlain.leader.Leader;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The leader's view as the status API shows it ({@code GET /api/cluster}): leader node, term,
 * state, epoch, leased chambers, and per defender its status, node, version, capacity, heartbeat
 * age, held epoch, home chambers, weight, load against its capacity-weighted fair share, chambers
 * it serves for a restarting defender ({@code leasedIn}) and of its own lent out
 * ({@code leasedOut}), and cache hits/misses.
 */
final class LeaderStatus {

  private LeaderStatus() {
  }

  static JsonObject of(String leaderNode, long term, Leader leader, AssignmentSnapshot published,
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
    JsonArray defenders = new JsonArray();
    // Drained defenders the leader no longer lists (they own nothing, their heartbeats are held out)
    // are shown too, as long as they heartbeat: an operator must see what is drained.
    Map<String, String> shown = new java.util.TreeMap<>();
    leader.defenderStatuses().forEach((id, status) -> shown.put(id, status.name()));
    drained.stream().filter(lastHeartbeats::containsKey).forEach(id -> shown.putIfAbsent(id, "DRAINED"));
    shown.forEach((id, status) -> {
      Heartbeat last = lastHeartbeats.get(id);
      double fair = totalCapacity == 0 ? 0 : totalWeight * capacityOf(last) / totalCapacity;
      double weight = load.getOrDefault(id, 0.0);
      defenders.add(new JsonObject().put("id", id).put("status", drained.contains(id) ? "DRAINED" : status)
          .put("node", last == null ? null : last.nodeId())
          .put("version", last == null ? null : last.version()).put("capacity", capacityOf(last))
          .put("heartbeatAgeMillis", last == null ? null : now - last.sentAt())
          .put("heldEpoch", last == null ? null : last.heldEpoch())
          .put("chambers", counts.getOrDefault(id, 0)).put("weight", weight)
          .put("loadRatio", fair == 0 ? 0 : weight / fair)
          .put("leasedIn", leasedIn.getOrDefault(id, 0)).put("leasedOut", leasedOut.getOrDefault(id, 0))
          .put("cacheHits", last == null ? 0 : last.cacheHits())
          .put("cacheMisses", last == null ? 0 : last.cacheMisses())
          .put("processingP99Millis", last == null ? null : last.processingP99Millis()));
    });
    long unowned = published.chambers().values().stream().filter(e -> e.owner() == null).count()
        + leader.chambers().keySet().stream().filter(c -> !published.knows(c)).count();
    return new JsonObject().put("leaderNode", leaderNode).put("term", term)
        .put("state", leader.state().name()).put("stateSinceMillis", leader.stateSinceMillis()).put("epoch", published.epoch())
        .put("chambers", leader.chambers().size()).put("unownedChambers", unowned)
        .put("leasedChambers", leasedOut.values().stream().mapToInt(Integer::intValue).sum())
        .put("totalWeight", totalWeight).put("defenders", defenders);
  }

  static double capacityOf(Heartbeat last) {
    return last == null ? 1.0 : last.capacity();
  }
}
