package io.chamberlain.nats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a leader knows beyond the assignment and the next leader must not lose, persisted with the
 * assignment ({@link AssignmentStore}): the restarts it is holding, and the cluster node each
 * owning defender runs on. A leader elected because the old one died resumes with both — it keeps
 * holding a restart it never saw announced, and it can tell at once which owners vanished with a
 * cluster member instead of waiting for their heartbeats to time out. And the drains: an operator's
 * drain, or one ahead of a scale-in, outlives the leader that made it (a defender forgotten as
 * drained would get chambers back in the middle of a scale-in).
 *
 * <p>Compatible changes only: a field added is optional (a memo written before it reads as empty),
 * and fields a reader does not know are ignored.
 *
 * @param restartHolds defenders held for an announced restart, by id
 * @param defenderNodes the Vert.x node id each known defender last heartbeated from, by id
 * @param drainedByOperator defenders an operator drained
 * @param drainedForScaleIn defenders drained ahead of an autoscaler's scale-in
 */
public record LeaderMemo(SortedMap<String, RestartHold> restartHolds, SortedMap<String, String> defenderNodes,
    SortedSet<String> drainedByOperator, SortedSet<String> drainedForScaleIn) {

  public static final LeaderMemo EMPTY = new LeaderMemo(Map.of(), Map.of());

  /**
   * A defender that announced a restart: its chambers are held until {@code untilMillis} (wall
   * clock of the leader that granted it); {@code nodeId} is the cluster node it announced from, so
   * heartbeats of that old process, still draining, are not taken for its return.
   */
  public record RestartHold(long untilMillis, String nodeId) {
  }

  public LeaderMemo(Map<String, RestartHold> restartHolds, Map<String, String> defenderNodes) {
    this(restartHolds, defenderNodes, Set.of(), Set.of());
  }

  public LeaderMemo(Map<String, RestartHold> restartHolds, Map<String, String> defenderNodes,
      Set<String> drainedByOperator, Set<String> drainedForScaleIn) {
    this(Collections.unmodifiableSortedMap(new TreeMap<>(restartHolds)),
        Collections.unmodifiableSortedMap(new TreeMap<>(defenderNodes)),
        Collections.unmodifiableSortedSet(new TreeSet<>(drainedByOperator)),
        Collections.unmodifiableSortedSet(new TreeSet<>(drainedForScaleIn)));
  }

  /** This memo with the drains given. */
  public LeaderMemo withDrains(Set<String> byOperator, Set<String> forScaleIn) {
    return new LeaderMemo(restartHolds, defenderNodes, byOperator, forScaleIn);
  }

  JsonObject toJson() {
    JsonObject holds = new JsonObject();
    restartHolds.forEach((id, hold) -> holds.put(id, new JsonObject().put("until", hold.untilMillis())
        .put("node", hold.nodeId())));
    JsonObject nodes = new JsonObject();
    defenderNodes.forEach(nodes::put);
    return new JsonObject().put("restartHolds", holds).put("defenderNodes", nodes)
        .put("drained", new JsonObject().put("byOperator", new JsonArray(List.copyOf(drainedByOperator)))
            .put("forScaleIn", new JsonArray(List.copyOf(drainedForScaleIn))));
  }

  static LeaderMemo fromJson(JsonObject json) {
    if (json == null) {
      return EMPTY;
    }
    Map<String, RestartHold> holds = new TreeMap<>();
    json.getJsonObject("restartHolds", new JsonObject()).forEach(entry -> {
      JsonObject hold = (JsonObject) entry.getValue();
      holds.put(entry.getKey(), new RestartHold(hold.getLong("until"), hold.getString("node")));
    });
    Map<String, String> nodes = new TreeMap<>();
    json.getJsonObject("defenderNodes", new JsonObject()).forEach(entry -> nodes.put(entry.getKey(),
        String.valueOf(entry.getValue())));
    JsonObject drained = json.getJsonObject("drained", new JsonObject());
    return new LeaderMemo(holds, nodes, ids(drained.getJsonArray("byOperator")), ids(drained.getJsonArray("forScaleIn")));
  }

  private static Set<String> ids(JsonArray array) {
    Set<String> ids = new TreeSet<>();
    if (array != null) {
      array.forEach(id -> ids.add(String.valueOf(id)));
    }
    return ids;
  }
}
