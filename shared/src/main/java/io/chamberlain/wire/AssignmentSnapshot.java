package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A complete assignment as the leader published it: every known chamber with its weight and its
 * owner ({@code null} while no defender is live), stamped with a strictly increasing epoch.
 * Receivers keep the newest epoch they have seen and ignore older snapshots.
 *
 * <pre>{"epoch":7,"issuedAt":1700000000000,"chambers":{"tool001:1":{"owner":"defender-1","weight":30000.0}}}</pre>
 */
public record AssignmentSnapshot(long epoch, long issuedAt, SortedMap<ChamberKey, Entry> chambers) {

  /** One chamber's line: its owner (or {@code null}) and weight. */
  public record Entry(String owner, double weight) {
  }

  public static final AssignmentSnapshot EMPTY = new AssignmentSnapshot(0, 0, new TreeMap<>());

  public AssignmentSnapshot {
    chambers = Collections.unmodifiableSortedMap(new TreeMap<>(chambers));
  }

  public String ownerOf(ChamberKey chamber) {
    Entry entry = chambers.get(chamber);
    return entry == null ? null : entry.owner();
  }

  public boolean knows(ChamberKey chamber) {
    return chambers.containsKey(chamber);
  }

  public JsonObject toJson() {
    JsonObject lines = new JsonObject();
    chambers.forEach((chamber, entry) -> lines.put(chamber.toString(),
        new JsonObject().put("owner", entry.owner()).put("weight", entry.weight())));
    return new JsonObject().put("epoch", epoch).put("issuedAt", issuedAt).put("chambers", lines);
  }

  public static AssignmentSnapshot fromJson(JsonObject json) {
    SortedMap<ChamberKey, Entry> chambers = new TreeMap<>();
    for (Map.Entry<String, Object> line : json.getJsonObject("chambers", new JsonObject())) {
      JsonObject entry = (JsonObject) line.getValue();
      chambers.put(ChamberKey.parse(line.getKey()),
          new Entry(entry.getString("owner"), entry.getDouble("weight", 0.0)));
    }
    return new AssignmentSnapshot(json.getLong("epoch"), json.getLong("issuedAt", 0L), chambers);
  }
}
