package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A complete assignment as the leader published it: every known chamber with its weight, its home
 * {@code owner} ({@code null} while no defender is live) and, while the home restarts, the deputy it
 * is {@code leasedTo}; stamped with a strictly increasing epoch. Receivers keep the newest epoch
 * they have seen and ignore older snapshots, and route to {@link #servedBy}.
 *
 * <pre>{"epoch":7,"issuedAt":1700000000000,"chambers":{"tool001:1":{"owner":"defender-1","leasedTo":"defender-2","weight":30000.0}}}</pre>
 */
public record AssignmentSnapshot(long epoch, long issuedAt, SortedMap<ChamberKey, Entry> chambers) {

  /** JSON keys of a chamber's line. */
  private static final String OWNER = "owner";
  private static final String LEASED_TO = "leasedTo";
  private static final String WEIGHT = "weight";

  /**
   * One chamber's line: its home {@code owner} (or {@code null}), the deputy serving it while the
   * home restarts ({@code null}: the home serves it), and its weight.
   */
  public record Entry(String owner, String leasedTo, double weight) {

    public Entry {
      if (leasedTo != null && owner == null) {
        throw new IllegalArgumentException("a chamber without a home cannot be leased (to " + leasedTo + ")");
      }
    }

    /** A line without a lease. */
    public Entry(String owner, double weight) {
      this(owner, null, weight);
    }

    /** The defender that serves the chamber now: the deputy while leased, else the home. */
    public String servedBy() {
      return leasedTo != null ? leasedTo : owner;
    }

    JsonObject toJson() {
      JsonObject line = new JsonObject().put(OWNER, owner);
      if (leasedTo != null) {
        line.put(LEASED_TO, leasedTo);
      }
      return line.put(WEIGHT, weight);
    }

    static Entry fromJson(JsonObject line) {
      return new Entry(line.getString(OWNER), line.getString(LEASED_TO), line.getDouble(WEIGHT, 0.0));
    }
  }

  public static final AssignmentSnapshot EMPTY = new AssignmentSnapshot(0, 0, new TreeMap<>());

  public AssignmentSnapshot {
    chambers = Collections.unmodifiableSortedMap(new TreeMap<>(chambers));
  }

  /** The chamber's home, {@code null} if it has none or is unknown. */
  public String ownerOf(ChamberKey chamber) {
    Entry entry = chambers.get(chamber);
    return entry == null ? null : entry.owner();
  }

  /** Who serves the chamber now (its deputy while leased, else its home); {@code null} if nobody. */
  public String servedBy(ChamberKey chamber) {
    Entry entry = chambers.get(chamber);
    return entry == null ? null : entry.servedBy();
  }

  public boolean knows(ChamberKey chamber) {
    return chambers.containsKey(chamber);
  }

  public JsonObject toJson() {
    JsonObject lines = new JsonObject();
    chambers.forEach((chamber, entry) -> lines.put(chamber.toString(), entry.toJson()));
    return new JsonObject().put("epoch", epoch).put("issuedAt", issuedAt).put("chambers", lines);
  }

  public static AssignmentSnapshot fromJson(JsonObject json) {
    SortedMap<ChamberKey, Entry> chambers = new TreeMap<>();
    for (Map.Entry<String, Object> line : json.getJsonObject("chambers", new JsonObject())) {
      chambers.put(ChamberKey.parse(line.getKey()), Entry.fromJson((JsonObject) line.getValue()));
    }
    return new AssignmentSnapshot(json.getLong("epoch"), json.getLong("issuedAt", 0L), chambers);
  }
}
