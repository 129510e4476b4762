package io.chamberlain.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * A gateway's announcement on {@link Addresses#GATEWAY_LANES}: the ingestion lanes it holds.
 *
 * @param gatewayId the gateway (its cluster-manager node id: unique per process)
 * @param nodeId the cluster-manager node id the gateway runs on, so a crash counts as soon as the
 *     node leaves the cluster
 * @param laneCount the gateway's {@code ingest.lanes}; gateways of another count are no peers
 * @param lanes the lanes it holds now
 */
public record GatewayLanes(String gatewayId, String nodeId, int laneCount, Set<Integer> lanes) {

  public GatewayLanes {
    if (gatewayId == null || nodeId == null) {
      throw new IllegalArgumentException("a lane announcement needs gatewayId and nodeId, got " + gatewayId + ", " + nodeId);
    }
    lanes = Set.copyOf(lanes);
  }

  public JsonObject toJson() {
    return new JsonObject().put("gatewayId", gatewayId).put("nodeId", nodeId).put("laneCount", laneCount)
        .put("lanes", new JsonArray(new TreeSet<>(lanes).stream().map(Object.class::cast).toList()));
  }

  /** @throws IllegalArgumentException when a field is missing or of the wrong type */
  public static GatewayLanes fromJson(JsonObject json) {
    try {
      JsonArray lanes = json.getJsonArray("lanes", new JsonArray());
      Set<Integer> held = new TreeSet<>();
      for (int i = 0; i < lanes.size(); i++) {
        held.add(lanes.getInteger(i));
      }
      return new GatewayLanes(json.getString("gatewayId"), json.getString("nodeId"), json.getInteger("laneCount", 0), held);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed lane announcement " + json.encode() + ": " + e.getMessage(), e);
    }
  }
}
