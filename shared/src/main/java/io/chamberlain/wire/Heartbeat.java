package io.chamberlain.wire;

import io.chamberlain.domain.Ids;
import io.vertx.core.json.JsonObject;

/**
 * A defender's periodic "I am alive" on {@link Addresses#DEFENDER_HEARTBEAT}.
 *
 * @param nodeId the cluster-manager node id of the defender's JVM, so the leader can map a
 *     "member removed" event to the defender
 * @param heldEpoch the newest assignment epoch the defender has applied
 */
public record Heartbeat(String defenderId, String version, double capacity, String nodeId,
    int chambers, long heldEpoch, long sentAt) {

  public Heartbeat {
    Ids.require("defenderId", defenderId);
  }

  public JsonObject toJson() {
    return new JsonObject().put("defenderId", defenderId).put("version", version)
        .put("capacity", capacity).put("nodeId", nodeId).put("chambers", chambers)
        .put("heldEpoch", heldEpoch).put("sentAt", sentAt);
  }

  public static Heartbeat fromJson(JsonObject json) {
    return new Heartbeat(json.getString("defenderId"), json.getString("version"),
        json.getDouble("capacity", 1.0), json.getString("nodeId"), json.getInteger("chambers", 0),
        json.getLong("heldEpoch", 0L), json.getLong("sentAt", 0L));
  }
}
