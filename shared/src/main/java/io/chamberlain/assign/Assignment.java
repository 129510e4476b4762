package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable chamber → defender map with the epoch under which it was published. Iteration is
 * always in chamber-key order, so anything derived from it is deterministic.
 */
public final class Assignment {

  public static final Assignment EMPTY = new Assignment(0, Map.of());

  private final long epoch;
  private final Map<ChamberKey, String> owners;

  private Assignment(long epoch, Map<ChamberKey, String> ownersInKeyOrder) {
    this.epoch = epoch;
    this.owners = ownersInKeyOrder;
  }

  /** Copies {@code owners} (any map) into key order. */
  public static Assignment of(long epoch, Map<ChamberKey, String> owners) {
    if (epoch < 0) {
      throw new IllegalArgumentException("assignment epoch must be ≥ 0, was " + epoch);
    }
    TreeMap<ChamberKey, String> sorted = new TreeMap<>(owners);
    sorted.forEach((chamber, owner) -> {
      if (owner == null) {
        throw new IllegalArgumentException("chamber " + chamber + " has no owner");
      }
    });
    return new Assignment(epoch, Collections.unmodifiableMap(new LinkedHashMap<>(sorted)));
  }

  /** For the engine: {@code ownersInKeyOrder} must already iterate in key order and is not copied. */
  static Assignment ofSorted(long epoch, LinkedHashMap<ChamberKey, String> ownersInKeyOrder) {
    return new Assignment(epoch, Collections.unmodifiableMap(ownersInKeyOrder));
  }

  public long epoch() {
    return epoch;
  }

  public Assignment withEpoch(long newEpoch) {
    if (newEpoch < 0) {
      throw new IllegalArgumentException("assignment epoch must be ≥ 0, was " + newEpoch);
    }
    return new Assignment(newEpoch, owners);
  }

  /** @return the owner's defender id, or {@code null} if the chamber is not assigned. */
  public String ownerOf(ChamberKey chamber) {
    return owners.get(chamber);
  }

  /** Unmodifiable, in chamber-key order. */
  public Map<ChamberKey, String> owners() {
    return owners;
  }

  public int size() {
    return owners.size();
  }

  public boolean isEmpty() {
    return owners.isEmpty();
  }

  /** Chambers per defender id, both in sorted order. */
  public SortedMap<String, List<ChamberKey>> byDefender() {
    SortedMap<String, List<ChamberKey>> result = new TreeMap<>();
    owners.forEach((chamber, owner) -> result.computeIfAbsent(owner, k -> new ArrayList<>()).add(chamber));
    return result;
  }

  /** Same owners (the epoch is ignored). */
  public boolean sameOwners(Assignment other) {
    return owners.equals(other.owners);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Assignment other && epoch == other.epoch && owners.equals(other.owners);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(epoch) * 31 + owners.hashCode();
  }

  @Override
  public String toString() {
    return "Assignment{epoch=" + epoch + ", chambers=" + owners.size() + "}";
  }
}
