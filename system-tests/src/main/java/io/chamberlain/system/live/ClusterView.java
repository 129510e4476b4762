package io.chamberlain.system.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The part of the gateway's {@code GET /api/cluster} the live tests rely on — the leader's node,
 * term and state, the epoch, unowned chambers, the defenders with their status, node, held epoch and chamber
 * count — and nothing of the leader's internals, so the harness keeps working while the leader is
 * replaced. Lease counts ({@code leasedChambers}; per defender {@code leasedIn}, {@code leasedOut})
 * are optional: absent means 0, so today's product (no leases) reads the same as tomorrow's.
 *
 * @param chambersByDefender the defenders that own or may take chambers (not dead, drained or
 *     leaving), with their chamber counts
 * @param defenders every defender the leader lists, whatever its status
 */
public record ClusterView(String leaderNode, long term, String state, long epoch, int chambers, long unownedChambers,
    long leasedChambers, Map<String, Integer> chambersByDefender, Map<String, Defender> defenders) {

  /**
   * One defender as the leader sees it; {@code leasedIn} / {@code leasedOut} are the chambers it serves
   * for a restarting defender / has lent out while it restarts (optional fields: absent = 0).
   */
  public record Defender(String status, String node, long heldEpoch, int chambers, int leasedIn, int leasedOut) {
  }

  /** Whether the leader lists {@code defenderId} as dead (a new leader that does not know it yet says nothing). */
  public boolean isDead(String defenderId) {
    Defender defender = defenders.get(defenderId);
    return defender != null && "DEAD".equals(defender.status());
  }

  /** Defender statuses that are out of the assignment. */
  private static final Set<String> GONE = Set.of("DEAD", "DRAINED", "LEAVING");

  public ClusterView {
    chambersByDefender = Map.copyOf(chambersByDefender);
    defenders = Map.copyOf(defenders);
  }

  public static ClusterView fromJson(JsonObject json) {
    Map<String, Integer> owning = new TreeMap<>();
    Map<String, Defender> all = new TreeMap<>();
    JsonArray array = json.getJsonArray("defenders", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      JsonObject defender = array.getJsonObject(i);
      String status = defender.getString("status", "LIVE");
      int chambers = defender.getInteger("chambers", 0);
      Long heldEpoch = defender.getLong("heldEpoch");
      all.put(defender.getString("id"), new Defender(status, defender.getString("node"),
          heldEpoch == null ? -1 : heldEpoch, chambers, defender.getInteger("leasedIn", 0),
          defender.getInteger("leasedOut", 0)));
      if (!GONE.contains(status)) {
        owning.put(defender.getString("id"), chambers);
      }
    }
    return new ClusterView(json.getString("leaderNode"), json.getLong("term", 0L), json.getString("state"),
        json.getLong("epoch", 0L),
        json.getInteger("chambers", 0), json.getLong("unownedChambers", -1L), json.getLong("leasedChambers", 0L),
        owning, all);
  }

  /**
   * Exactly these defenders are live and they own every chamber, and the leader has nothing
   * pending (state {@code STABLE}: no cold-start round, scaling batch or crash handling to come).
   * A defender may own none: the assignment decides that, not the harness.
   */
  public boolean settledOn(Set<String> defenders) {
    return chambers > 0 && stableOn(defenders);
  }

  /**
   * {@link #settledOn} without asking for chambers: a fab with an empty catalog is settled once its
   * defenders are in and the leader has nothing pending. Nothing may be leased out either: a lease
   * is a restart still going on.
   */
  public boolean stableOn(Set<String> defenders) {
    return "STABLE".equals(state) && chambersByDefender.keySet().equals(defenders) && unownedChambers == 0
        && leasedChambers == 0 && chambersByDefender.values().stream().mapToInt(Integer::intValue).sum() == chambers;
  }

  /**
   * Settled on some set of defenders between {@code required} and {@code allowed}: after a freeze the
   * thawed defender may be back in the assignment or not yet — both are a settled cluster.
   */
  public boolean settledAmong(Set<String> required, Set<String> allowed) {
    return chambers > 0 && chambersByDefender.keySet().containsAll(required)
        && allowed.containsAll(chambersByDefender.keySet()) && stableOn(chambersByDefender.keySet());
  }

  /** The defender whose process runs on the leader's node, if the leader is a defender. */
  public java.util.Optional<String> defenderOnLeaderNode() {
    return defenders.entrySet().stream().filter(e -> leaderNode != null && leaderNode.equals(e.getValue().node()))
        .map(Map.Entry::getKey).findFirst();
  }
}
