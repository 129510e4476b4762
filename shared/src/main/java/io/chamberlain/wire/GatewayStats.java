package io.chamberlain.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's last second, published on {@link Addresses#GATEWAY_STATS} so every gateway's live feed
 * shows the whole cluster (with several ingestion lanes, each gateway sees only its lanes' events).
 *
 * <p>Compatibility: unknown fields are ignored; missing lists are empty.
 *
 * @param events verdicts acknowledged in the second
 * @param slaBreachesTotal this gateway's breaches since it started (a counter: sums across gateways)
 * @param latencyMillis completion-to-verdict latencies of the second, at most {@link #MAX_LATENCIES}
 * @param breaches the second's SLA breaches, at most {@link #MAX_BREACHES} (the count is in the total)
 * @param chambers chambers with events held here or finished in the second, at most {@link #MAX_CHAMBERS}, oldest held first
 */
public record GatewayStats(String gatewayId, long at, long events, long slaBreachesTotal, List<Long> latencyMillis,
    List<Breach> breaches, List<ChamberActivity> chambers) {

  public static final int MAX_LATENCIES = 2_000;
  public static final int MAX_BREACHES = 20;
  public static final int MAX_CHAMBERS = 2_000;

  /** A verdict published later than the SLA after its completion. */
  public record Breach(String chamber, String contextId, long latencyMillis, String servedBy) {
  }

  /**
   * @param held events of the chamber pulled by this gateway and not yet acknowledged
   * @param oldestCompletedAt completion time of the oldest of them (0 with none)
   * @param finished events of the chamber acknowledged in the second
   */
  public record ChamberActivity(String chamber, int held, long oldestCompletedAt, int finished) {
  }

  public GatewayStats {
    latencyMillis = List.copyOf(latencyMillis);
    breaches = List.copyOf(breaches);
    chambers = List.copyOf(chambers);
  }

  public JsonObject toJson() {
    JsonArray breachLines = new JsonArray();
    breaches.forEach(b -> breachLines.add(new JsonObject().put("chamber", b.chamber()).put("contextId", b.contextId())
        .put("latencyMillis", b.latencyMillis()).put("servedBy", b.servedBy())));
    JsonArray chamberLines = new JsonArray();
    chambers.forEach(c -> chamberLines.add(new JsonObject().put("chamber", c.chamber()).put("held", c.held())
        .put("oldestCompletedAt", c.oldestCompletedAt()).put("finished", c.finished())));
    return new JsonObject().put("gatewayId", gatewayId).put("at", at).put("events", events)
        .put("slaBreachesTotal", slaBreachesTotal).put("latencyMillis", new JsonArray(new ArrayList<Object>(latencyMillis)))
        .put("breaches", breachLines).put("chambers", chamberLines);
  }

  /** @throws IllegalArgumentException when a field has the wrong type or {@code gatewayId} is missing */
  public static GatewayStats fromJson(JsonObject json) {
    try {
      if (json.getString("gatewayId") == null) {
        throw new IllegalArgumentException("gateway stats need a gatewayId: " + json.encode());
      }
      List<Long> latencies = new ArrayList<>();
      JsonArray latencyLines = json.getJsonArray("latencyMillis", new JsonArray());
      for (int i = 0; i < latencyLines.size(); i++) {
        latencies.add(latencyLines.getLong(i));
      }
      List<Breach> breaches = new ArrayList<>();
      JsonArray breachLines = json.getJsonArray("breaches", new JsonArray());
      for (int i = 0; i < breachLines.size(); i++) {
        JsonObject b = breachLines.getJsonObject(i);
        breaches.add(new Breach(b.getString("chamber"), b.getString("contextId"), b.getLong("latencyMillis", 0L),
            b.getString("servedBy")));
      }
      List<ChamberActivity> chambers = new ArrayList<>();
      JsonArray chamberLines = json.getJsonArray("chambers", new JsonArray());
      for (int i = 0; i < chamberLines.size(); i++) {
        JsonObject c = chamberLines.getJsonObject(i);
        chambers.add(new ChamberActivity(c.getString("chamber"), c.getInteger("held", 0), c.getLong("oldestCompletedAt", 0L),
            c.getInteger("finished", 0)));
      }
      return new GatewayStats(json.getString("gatewayId"), json.getLong("at", 0L), json.getLong("events", 0L),
          json.getLong("slaBreachesTotal", 0L), latencies, breaches, chambers);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed gateway stats " + json.encode() + ": " + e.getMessage(), e);
    }
  }
}
