package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Chambers a gateway saw for the first time, sent to the leader on {@link Addresses#CHAMBER_REGISTER}
 * so it registers and places them. A burst of first events (a fab's first start, a new tool) goes
 * as a few messages of many chambers, not one message each.
 *
 * <pre>{"chambers":["tool001:1","tool001:2"]}</pre>
 */
public record ChamberRegistrations(List<ChamberKey> chambers) {

  private static final String CHAMBERS = "chambers";

  public ChamberRegistrations {
    if (chambers == null || chambers.isEmpty()) {
      throw new IllegalArgumentException("a registration names at least one chamber");
    }
    chambers = List.copyOf(chambers);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    chambers.forEach(chamber -> list.add(chamber.toString()));
    return new JsonObject().put(CHAMBERS, list);
  }

  /** @throws IllegalArgumentException naming the first bad chamber, or if there is none */
  public static ChamberRegistrations fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray(CHAMBERS);
    if (list == null) {
      throw new IllegalArgumentException("chamber registration has no '" + CHAMBERS + "' list: " + json);
    }
    List<ChamberKey> chambers = new ArrayList<>(list.size());
    for (Object chamber : list) {
      chambers.add(ChamberKey.parse(chamber instanceof String text ? text : null));
    }
    return new ChamberRegistrations(chambers);
  }
}
