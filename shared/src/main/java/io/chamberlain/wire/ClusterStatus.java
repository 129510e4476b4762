package io.chamberlain.wire;

import io.chamberlain.domain.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The leader's view of the cluster: its answer on {@link Addresses#LEADER_STATUS} and what it
 * publishes every second on {@link Addresses#LEADER_STATUS_BROADCAST}. Gateways serve it as
 * {@code GET /api/cluster} and the live feed's {@code cluster} topic (each defender's line with the
 * gateway's lag verdict added), and one defender's line as {@code GET /api/defenders/{id}}; the HTTP
 * form is {@link #toJson()} as it is, so the OpenAPI document's {@code Cluster} and {@code Defender}
 * describe this body too.
 *
 * <p>Compatibility (a leader and gateways of two versions run side by side during a rolling update):
 * readers ignore fields they do not know; a field missing reads as its default — numbers 0 (a
 * defender's {@code capacity} 1, the leader's default), the per-heartbeat fields {@code node},
 * {@code version}, {@code heartbeatAgeMillis}, {@code heldEpoch} and {@code processingP99Millis}
 * null (no heartbeat), {@code defenders} none. So a field may be added with a default that keeps
 * today's meaning; a field is never renamed or given another meaning; {@code leaderNode},
 * {@code state} and each defender's {@code id} and {@code status} are required. {@code state} and
 * {@code status} are names (of the leader's state, a defender's status or {@code DRAINED}) that a
 * reader does not refuse when it does not know them: a newer leader may have more. Decoding
 * validates at the boundary and throws {@link IllegalArgumentException} naming the field.
 *
 * @param leaderNode the cluster node the leader runs on
 * @param term the leader's term (fencing token of its writes)
 * @param state the leader's state ({@code io.chamberlain.leader.LeaderState} name)
 * @param stateSinceMillis when the leader entered the state (epoch ms)
 * @param epoch the epoch of the assignment the leader last published
 * @param chambers chambers the leader knows
 * @param unownedChambers of them, those without a home defender
 * @param leasedChambers of them, those a deputy serves for a restarting home
 * @param totalWeight the weight of all chambers
 */
public record ClusterStatus(String leaderNode, long term, String state, long stateSinceMillis, long epoch, int chambers,
    long unownedChambers, int leasedChambers, double totalWeight, List<Defender> defenders) {

  /** A defender's status when an operator (or a scale-in) drained it, whatever the leader's own status for it. */
  public static final String DRAINED = "DRAINED";

  /**
   * One defender as the leader sees it.
   *
   * @param status its {@code io.chamberlain.leader.DefenderStatus} name, or {@link #DRAINED}
   * @param node the cluster node of its last heartbeat; null without one (so are {@code version},
   *     {@code heartbeatAgeMillis}, {@code heldEpoch} and {@code processingP99Millis})
   * @param capacity its capacity (1 without a heartbeat)
   * @param heldEpoch the newest assignment epoch it had applied at its last heartbeat
   * @param chambers the chambers it is home of
   * @param weight their weight
   * @param loadRatio its weight against its capacity-weighted fair share (0 without capacity)
   * @param leasedIn chambers it serves as a deputy for a restarting defender
   * @param leasedOut chambers of its own lent out while it restarts
   * @param cacheHits chamber activations that found their state warm in its memory
   * @param cacheMisses chamber activations that had to load their state
   * @param processingP99Millis its defense time per event, p99 over about a minute
   */
  public record Defender(String id, String status, String node, String version, double capacity, Long heartbeatAgeMillis,
      Long heldEpoch, int chambers, double weight, double loadRatio, int leasedIn, int leasedOut, long cacheHits,
      long cacheMisses, Double processingP99Millis) {

    public Defender {
      Ids.require("id", id);
      Objects.requireNonNull(status, "status");
    }

    public boolean drained() {
      return DRAINED.equals(status);
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("status", status).put("node", node).put("version", version)
          .put("capacity", capacity).put("heartbeatAgeMillis", heartbeatAgeMillis).put("heldEpoch", heldEpoch)
          .put("chambers", chambers).put("weight", weight).put("loadRatio", loadRatio)
          .put("leasedIn", leasedIn).put("leasedOut", leasedOut).put("cacheHits", cacheHits)
          .put("cacheMisses", cacheMisses).put("processingP99Millis", processingP99Millis);
    }

    /** @throws IllegalArgumentException naming the field that is missing or of the wrong type */
    public static Defender fromJson(JsonObject json) {
      return new Defender(JsonFields.text(json, "id"), JsonFields.text(json, "status"),
          JsonFields.textOr(json, "node", null), JsonFields.textOr(json, "version", null),
          JsonFields.numberOr(json, "capacity", 1.0), JsonFields.wholeOrNull(json, "heartbeatAgeMillis"),
          JsonFields.wholeOrNull(json, "heldEpoch"), JsonFields.countOr(json, "chambers", 0),
          JsonFields.numberOr(json, "weight", 0.0), JsonFields.numberOr(json, "loadRatio", 0.0),
          JsonFields.countOr(json, "leasedIn", 0), JsonFields.countOr(json, "leasedOut", 0),
          JsonFields.wholeOr(json, "cacheHits", 0L), JsonFields.wholeOr(json, "cacheMisses", 0L),
          JsonFields.numberOrNull(json, "processingP99Millis"));
    }
  }

  public ClusterStatus {
    Objects.requireNonNull(leaderNode, "leaderNode");
    Objects.requireNonNull(state, "state");
    defenders = List.copyOf(defenders);
  }

  /** The defender's line, if the leader lists it. */
  public Optional<Defender> defender(String id) {
    return defenders.stream().filter(defender -> defender.id().equals(id)).findFirst();
  }

  public JsonObject toJson() {
    JsonArray lines = new JsonArray();
    defenders.forEach(defender -> lines.add(defender.toJson()));
    return new JsonObject().put("leaderNode", leaderNode).put("term", term).put("state", state)
        .put("stateSinceMillis", stateSinceMillis).put("epoch", epoch).put("chambers", chambers)
        .put("unownedChambers", unownedChambers).put("leasedChambers", leasedChambers).put("totalWeight", totalWeight)
        .put("defenders", lines);
  }

  /** @throws IllegalArgumentException naming the field that is missing or of the wrong type */
  public static ClusterStatus fromJson(JsonObject json) {
    JsonFields.body(json, "the leader's view");
    List<JsonObject> lines = JsonFields.objects(json, "defenders");
    List<Defender> defenders = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      try {
        defenders.add(Defender.fromJson(lines.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("defenders[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new ClusterStatus(JsonFields.text(json, "leaderNode"), JsonFields.wholeOr(json, "term", 0L),
        JsonFields.text(json, "state"), JsonFields.wholeOr(json, "stateSinceMillis", 0L),
        JsonFields.wholeOr(json, "epoch", 0L), JsonFields.countOr(json, "chambers", 0),
        JsonFields.wholeOr(json, "unownedChambers", 0L), JsonFields.countOr(json, "leasedChambers", 0),
        JsonFields.numberOr(json, "totalWeight", 0.0), defenders);
  }
}
