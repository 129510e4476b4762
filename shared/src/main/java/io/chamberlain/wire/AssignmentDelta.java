package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed from one published assignment to the next, as the leader broadcasts it: the lines
 * (owner, lease, weight) that are new or different in {@code epoch}, and the chambers no longer in it,
 * against {@code baseEpoch} — the epoch just before. A rebalance of 6,000 chambers that moves 60
 * sends 60 lines, not 6,000. A receiver that does not hold {@code baseEpoch} cannot apply it and
 * asks the leader for the whole assignment instead ({@link AssignmentFeed}).
 *
 * <pre>{"epoch":8,"baseEpoch":7,"issuedAt":1700000000000,"changed":{"tool001:1":{"owner":"defender-2","weight":30000.0},"tool001:2":{"owner":"defender-1","leasedTo":"defender-3","weight":1200000.0}},"removed":["tool009:3"]}</pre>
 */
public record AssignmentDelta(long epoch, long baseEpoch, long issuedAt, SortedMap<ChamberKey, AssignmentSnapshot.Entry> changed,
    SortedSet<ChamberKey> removed) {

  public AssignmentDelta {
    if (epoch <= baseEpoch) {
      throw new IllegalArgumentException("a delta goes forward: epoch " + epoch + " after base " + baseEpoch);
    }
    changed = Collections.unmodifiableSortedMap(new TreeMap<>(changed));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
  }

  /** The changes that turn {@code from} into {@code to}. */
  public static AssignmentDelta between(AssignmentSnapshot from, AssignmentSnapshot to) {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> changed = new TreeMap<>();
    to.chambers().forEach((chamber, entry) -> {
      if (!Objects.equals(from.chambers().get(chamber), entry)) {
        changed.put(chamber, entry);
      }
    });
    SortedSet<ChamberKey> removed = new TreeSet<>(from.chambers().keySet());
    removed.removeAll(to.chambers().keySet());
    return new AssignmentDelta(to.epoch(), from.epoch(), to.issuedAt(), changed, removed);
  }

  /**
   * @return the assignment of {@link #epoch}
   * @throws IllegalArgumentException if {@code base} is not the assignment of {@link #baseEpoch}
   */
  public AssignmentSnapshot applyTo(AssignmentSnapshot base) {
    if (base.epoch() != baseEpoch) {
      throw new IllegalArgumentException("delta to epoch " + epoch + " applies to epoch " + baseEpoch
          + ", not to " + base.epoch());
    }
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>(base.chambers());
    removed.forEach(chambers::remove);
    chambers.putAll(changed);
    return new AssignmentSnapshot(epoch, issuedAt, chambers);
  }

  /** Whether {@code json} is a delta (it names its base) rather than a whole snapshot. */
  public static boolean isDelta(JsonObject json) {
    return json.containsKey("baseEpoch");
  }

  public JsonObject toJson() {
    JsonObject lines = new JsonObject();
    changed.forEach((chamber, entry) -> lines.put(chamber.toString(), entry.toJson()));
    JsonArray gone = new JsonArray();
    removed.forEach(chamber -> gone.add(chamber.toString()));
    return new JsonObject().put("epoch", epoch).put("baseEpoch", baseEpoch).put("issuedAt", issuedAt)
        .put("changed", lines).put("removed", gone);
  }

  public static AssignmentDelta fromJson(JsonObject json) {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> changed = new TreeMap<>();
    for (Map.Entry<String, Object> line : json.getJsonObject("changed", new JsonObject())) {
      changed.put(ChamberKey.parse(line.getKey()), AssignmentSnapshot.Entry.fromJson((JsonObject) line.getValue()));
    }
    SortedSet<ChamberKey> removed = new TreeSet<>();
    json.getJsonArray("removed", new JsonArray()).forEach(chamber -> removed.add(ChamberKey.parse((String) chamber)));
    return new AssignmentDelta(json.getLong("epoch"), json.getLong("baseEpoch"), json.getLong("issuedAt", 0L),
        changed, removed);
  }
}
