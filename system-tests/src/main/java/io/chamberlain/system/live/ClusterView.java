package io.chamberlain.system.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of the gateway's {@code GET /api/cluster} the live tests rely on — epoch, unowned
 * chambers, defenders with their chamber counts — and nothing of the leader's internals, so the
 * harness keeps working while the leader is replaced.
 */
public record ClusterView(long epoch, int chambers, long unownedChambers, Map<String, Integer> chambersByDefender) {

  public ClusterView {
    chambersByDefender = Map.copyOf(chambersByDefender);
  }

  /** Defender statuses that are out of the assignment. */
  private static final java.util.Set<String> GONE = java.util.Set.of("DEAD", "DRAINED", "LEAVING");

  public static ClusterView fromJson(JsonObject json) {
    Map<String, Integer> defenders = new TreeMap<>();
    JsonArray array = json.getJsonArray("defenders", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      JsonObject defender = array.getJsonObject(i);
      if (GONE.contains(defender.getString("status", "LIVE"))) {
        continue; // listed for the operator, but owns nothing and takes nothing
      }
      defenders.put(defender.getString("id"), defender.getInteger("chambers", 0));
    }
    return new ClusterView(json.getLong("epoch", 0L), json.getInteger("chambers", 0),
        json.getLong("unownedChambers", -1L), defenders);
  }

  /**
   * Exactly these defenders are live and they own every chamber. (A defender may own none: the
   * assignment decides that, not the harness.)
   */
  public boolean settledOn(java.util.Set<String> defenders) {
    return chambersByDefender.keySet().equals(defenders) && unownedChambers == 0 && chambers > 0
        && chambersByDefender.values().stream().mapToInt(Integer::intValue).sum() == chambers;
  }
}
