package io.chamberlain.wire;

import io.chamberlain.domain.Ids;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A defender's periodic "I am alive" on {@link Addresses#DEFENDER_HEARTBEAT}.
 *
 * @param nodeId the cluster-manager node id of the defender's JVM, so the leader can map a
 *     "member removed" event to the defender
 * @param heldEpoch the newest assignment epoch the defender has applied
 * @param costs measured defense time per context (ms, moving average) of its chambers, by {@code tool:chamber}
 * @param cacheHits chamber activations that found their state warm in memory
 * @param cacheMisses chamber activations that had to load their state from KV
 * @param processingP99Millis the 99th percentile of its defense time per event over the last minute (0: none);
 *     absent in heartbeats of versions before it, read as 0
 * @param rates measured contexts per second of its chambers (moving average), by {@code tool:chamber};
 *     absent before, read as none
 */
public record Heartbeat(String defenderId, String version, double capacity, String nodeId,
    int chambers, long heldEpoch, long sentAt, Map<String, Double> costs, long cacheHits, long cacheMisses,
    double processingP99Millis, Map<String, Double> rates) {

  /** The key of {@code nodeId}: also read raw by every leader candidate, to tell a running node from a silent one. */
  public static final String NODE_ID = "nodeId";

  public Heartbeat {
    Ids.require("defenderId", defenderId);
    costs = costs == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(costs));
    rates = rates == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(rates));
  }

  public JsonObject toJson() {
    return new JsonObject().put("defenderId", defenderId).put("version", version)
        .put("capacity", capacity).put(NODE_ID, nodeId).put("chambers", chambers)
        .put("heldEpoch", heldEpoch).put("sentAt", sentAt).put("costs", new JsonObject(new TreeMap<>(costs)))
        .put("cacheHits", cacheHits).put("cacheMisses", cacheMisses).put("processingP99Millis", processingP99Millis)
        .put("rates", new JsonObject(new TreeMap<>(rates)));
  }

  public static Heartbeat fromJson(JsonObject json) {
    return new Heartbeat(json.getString("defenderId"), json.getString("version"),
        json.getDouble("capacity", 1.0), json.getString(NODE_ID), json.getInteger("chambers", 0),
        json.getLong("heldEpoch", 0L), json.getLong("sentAt", 0L), costsOf(json.getJsonObject("costs")),
        json.getLong("cacheHits", 0L), json.getLong("cacheMisses", 0L), json.getDouble("processingP99Millis", 0.0),
        costsOf(json.getJsonObject("rates")));
  }

  private static Map<String, Double> costsOf(JsonObject json) {
    Map<String, Double> costs = new TreeMap<>();
    if (json != null) {
      json.forEach(entry -> costs.put(entry.getKey(), ((Number) entry.getValue()).doubleValue()));
    }
    return costs;
  }
}
