package io.chamberlain.cluster;

import io.chamberlain.leader.DefenderStatus;
import io.chamberlain.leader.LeaderInput;
import io.chamberlain.nats.LeaderMemo;
import io.chamberlain.wire.Heartbeat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the leader adapter knows of each defender's process — its last heartbeat, the cluster node
 * it runs on, the node it announced a restart from — and how a heartbeat becomes a
 * {@link LeaderInput} for the pure {@link io.chamberlain.leader.Leader}:
 * <ul>
 *   <li>an unknown, dead or restarting defender, or one whose version, capacity or node changed,
 *       {@linkplain LeaderInput.DefenderJoined joins} (a same-id restart is a join of a live row);
 *   <li>a known, unchanged, live one just {@linkplain LeaderInput.HeartbeatReceived heartbeats};
 *   <li>a restarting defender heartbeating from the node it announced the restart from is the old
 *       process, still draining: nothing (it is not back yet).
 * </ul>
 * Pure and single-threaded (the leader's event loop): no Vert.x, no cluster calls.
 */
final class DefenderDirectory {

  private final Map<String, Heartbeat> lastHeartbeats = new HashMap<>();
  private final Map<String, String> nodes = new HashMap<>();
  private final Map<String, String> restartNodes = new HashMap<>();
  /** Counts changes of what the memo is built from (nodes, announced restarts). */
  private long version;

  /** Starts from what the previous leader knew: the nodes of its defenders and of its held restarts. */
  DefenderDirectory(LeaderMemo inherited) {
    nodes.putAll(inherited.defenderNodes());
    inherited.restartHolds().forEach((defenderId, hold) -> restartNodes.put(defenderId, hold.nodeId()));
  }

  /** Records {@code heartbeat}; returns the input it means for a defender now in {@code status} ({@code null}: unknown). */
  Optional<LeaderInput> heartbeat(Heartbeat heartbeat, DefenderStatus status, long now) {
    String id = heartbeat.defenderId();
    Heartbeat previous = lastHeartbeats.put(id, heartbeat);
    if (!heartbeat.nodeId().equals(nodes.put(id, heartbeat.nodeId()))) {
      version++;
    }
    if (status == DefenderStatus.RESTARTING && heartbeat.nodeId().equals(restartNodes.get(id))) {
      return Optional.empty();
    }
    boolean changed = previous == null || !previous.version().equals(heartbeat.version())
        || previous.capacity() != heartbeat.capacity() || !previous.nodeId().equals(heartbeat.nodeId());
    if (status == null || status == DefenderStatus.DEAD || status == DefenderStatus.RESTARTING || changed) {
      return Optional.of(new LeaderInput.DefenderJoined(now, id, heartbeat.version(), heartbeat.capacity()));
    }
    return Optional.of(new LeaderInput.HeartbeatReceived(now, id));
  }

  /** The defender announced a restart from {@code node} (its current process). */
  void restartAnnounced(String defenderId, String node) {
    if (node != null && !node.equals(restartNodes.put(defenderId, node))) {
      version++;
    }
  }

  /** Grows whenever a defender's node or announced-restart node changes. */
  long version() {
    return version;
  }

  Heartbeat lastHeartbeat(String defenderId) {
    return lastHeartbeats.get(defenderId);
  }

  Map<String, Heartbeat> lastHeartbeats() {
    return lastHeartbeats;
  }

  /** Defenders {@code LIVE} in {@code statuses} last seen on one of {@code onNodes}, in id order. */
  List<String> liveOn(Set<String> onNodes, Map<String, DefenderStatus> statuses) {
    return nodes.entrySet().stream()
        .filter(e -> onNodes.contains(e.getValue()) && statuses.get(e.getKey()) == DefenderStatus.LIVE)
        .map(Map.Entry::getKey).sorted().toList();
  }

  /** Defenders heartbeating from one of {@code onNodes} within {@code freshMillis} before {@code now}, in id order. */
  List<String> runningOn(Set<String> onNodes, long now, long freshMillis) {
    return lastHeartbeats.values().stream()
        .filter(h -> onNodes.contains(h.nodeId()) && h.sentAt() >= now - freshMillis)
        .map(Heartbeat::defenderId).sorted().toList();
  }

  /** Every node a known defender was last seen on. */
  Set<String> knownNodes() {
    return Set.copyOf(nodes.values());
  }

  String nodeOf(String defenderId) {
    return nodes.get(defenderId);
  }

  /**
   * What the next leader needs: {@code holds} (defender → grace end) with the node each restart was
   * announced from, and the node of every defender the leader still lists.
   */
  LeaderMemo memo(SortedMap<String, Long> holds, Set<String> listed) {
    Map<String, LeaderMemo.RestartHold> restarts = new TreeMap<>();
    holds.forEach((id, until) -> restarts.put(id, new LeaderMemo.RestartHold(until, restartNodes.get(id))));
    restartNodes.keySet().retainAll(holds.keySet());
    Map<String, String> where = new TreeMap<>(nodes);
    where.keySet().retainAll(listed);
    return new LeaderMemo(restarts, where);
  }
}
