package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * One answer of {@code GET /api/assignments}: per chamber its <em>home</em> ({@code owner}) and, when
 * the chamber is lent to a deputy for a restart, the deputy ({@code leasedTo}). {@code leasedTo} is
 * optional — absent means not leased — so the harness reads today's product (no leases) and the
 * product with leases alike. Unowned chambers are left out of {@link #owners()}.
 */
public record AssignmentView(long epoch, Map<ChamberKey, String> owners, Map<ChamberKey, String> leasedTo) {

  public AssignmentView {
    owners = Map.copyOf(owners);
    leasedTo = Map.copyOf(leasedTo);
  }

  public static AssignmentView fromJson(JsonObject json) {
    Map<ChamberKey, String> owners = new TreeMap<>();
    Map<ChamberKey, String> leased = new TreeMap<>();
    JsonObject chambers = json.getJsonObject("chambers", new JsonObject());
    for (String name : chambers.fieldNames()) {
      JsonObject entry = chambers.getJsonObject(name);
      ChamberKey chamber = ChamberKey.parse(name);
      if (entry.getString("owner") != null) {
        owners.put(chamber, entry.getString("owner"));
      }
      if (entry.getString("leasedTo") != null) {
        leased.put(chamber, entry.getString("leasedTo"));
      }
    }
    return new AssignmentView(json.getLong("epoch", 0L), owners, leased);
  }
}
