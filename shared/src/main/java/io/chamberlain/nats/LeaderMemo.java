package io.chamberlain.nats;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a leader knows beyond the assignment and the next leader must not lose, persisted with the
 * assignment ({@link AssignmentStore}): the restarts it is holding, and the cluster node each
 * owning defender runs on. A leader elected because the old one died resumes with both — it keeps
 * holding a restart it never saw announced, and it can tell at once which owners vanished with a
 * cluster member instead of waiting for their heartbeats to time out.
 *
 * @param restartHolds defenders held for an announced restart, by id
 * @param defenderNodes the Vert.x node id each known defender last heartbeated from, by id
 */
public record LeaderMemo(SortedMap<String, RestartHold> restartHolds, SortedMap<String, String> defenderNodes) {

  public static final LeaderMemo EMPTY = new LeaderMemo(Map.of(), Map.of());

  /**
   * A defender that announced a restart: its chambers are held until {@code untilMillis} (wall
   * clock of the leader that granted it); {@code nodeId} is the cluster node it announced from, so
   * heartbeats of that old process, still draining, are not taken for its return.
   */
  public record RestartHold(long untilMillis, String nodeId) {
  }

  public LeaderMemo(Map<String, RestartHold> restartHolds, Map<String, String> defenderNodes) {
    this(Collections.unmodifiableSortedMap(new TreeMap<>(restartHolds)),
        Collections.unmodifiableSortedMap(new TreeMap<>(defenderNodes)));
  }

  JsonObject toJson() {
    JsonObject holds = new JsonObject();
    restartHolds.forEach((id, hold) -> holds.put(id, new JsonObject().put("until", hold.untilMillis())
        .put("node", hold.nodeId())));
    JsonObject nodes = new JsonObject();
    defenderNodes.forEach(nodes::put);
    return new JsonObject().put("restartHolds", holds).put("defenderNodes", nodes);
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
    return new LeaderMemo(holds, nodes);
  }
}
