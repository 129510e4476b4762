package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable chamber → defender map with the epoch under which it was published, and the
 * chambers lent out for a restart. Iteration is always in chamber-key order, so anything derived
 * from it is deterministic.
 *
 * <p><b>Home and lease.</b> {@link #owners()} are the <em>homes</em>: what the engine balances and
 * what a move changes. A home that is restarting lends its chambers to <em>deputies</em>
 * ({@link #leases()}, planned by {@link LeasePlanner}) until it serves again; a lease changes who
 * serves the chamber ({@link #servedBy}), never its home. Routing and the chamber verticles follow
 * {@link #servedBy}; balance, movement and the history of moves follow the homes.
 */
public final class Assignment {

  public static final Assignment EMPTY = new Assignment(0, Map.of(), Map.of());

  private final long epoch;
  private final Map<ChamberKey, String> owners;
  private final Map<ChamberKey, String> leases;

  private Assignment(long epoch, Map<ChamberKey, String> ownersInKeyOrder, Map<ChamberKey, String> leasesInKeyOrder) {
    this.epoch = epoch;
    this.owners = ownersInKeyOrder;
    this.leases = leasesInKeyOrder;
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
    return new Assignment(epoch, Collections.unmodifiableMap(new LinkedHashMap<>(sorted)), Map.of());
  }

  /** For the engine: {@code ownersInKeyOrder} must already iterate in key order and is not copied. */
  static Assignment ofSorted(long epoch, LinkedHashMap<ChamberKey, String> ownersInKeyOrder) {
    return new Assignment(epoch, Collections.unmodifiableMap(ownersInKeyOrder), Map.of());
  }

  /**
   * The same homes with {@code leases} (chamber → deputy) instead of the current ones.
   *
   * @throws IllegalArgumentException if a leased chamber has no home here or is lent to its own home
   */
  public Assignment withLeases(Map<ChamberKey, String> leases) {
    TreeMap<ChamberKey, String> sorted = new TreeMap<>(leases);
    sorted.forEach((chamber, deputy) -> {
      String home = owners.get(chamber);
      if (home == null) {
        throw new IllegalArgumentException("chamber " + chamber + " is leased to [" + deputy + "] but has no home");
      }
      if (home.equals(deputy)) {
        throw new IllegalArgumentException("chamber " + chamber + " is leased to its own home [" + home + "]");
      }
    });
    return new Assignment(epoch, owners, sorted.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sorted)));
  }

  /**
   * The homes a rebalance should start from: a chamber whose home is not in {@code homes} (dead or
   * gone) but whose deputy is, is already served by that deputy — it becomes its home, so giving up
   * on a restart moves nothing that is being served. Every lease is dropped.
   */
  public Assignment foldLeases(Set<String> homes) {
    if (leases.isEmpty()) {
      return this;
    }
    Map<ChamberKey, String> folded = new TreeMap<>(owners);
    leases.forEach((chamber, deputy) -> {
      if (!homes.contains(owners.get(chamber)) && homes.contains(deputy)) {
        folded.put(chamber, deputy);
      }
    });
    return of(epoch, folded);
  }

  public long epoch() {
    return epoch;
  }

  public Assignment withEpoch(long newEpoch) {
    if (newEpoch < 0) {
      throw new IllegalArgumentException("assignment epoch must be ≥ 0, was " + newEpoch);
    }
    return new Assignment(newEpoch, owners, leases);
  }

  /** @return the chamber's home defender id, or {@code null} if the chamber is not assigned. */
  public String ownerOf(ChamberKey chamber) {
    return owners.get(chamber);
  }

  /** @return the defender that serves the chamber now: its deputy while it is leased, else its home */
  public String servedBy(ChamberKey chamber) {
    String deputy = leases.get(chamber);
    return deputy != null ? deputy : owners.get(chamber);
  }

  /** Homes: unmodifiable, in chamber-key order. */
  public Map<ChamberKey, String> owners() {
    return owners;
  }

  /** Chambers lent out for a restart → their deputy: unmodifiable, in chamber-key order. */
  public Map<ChamberKey, String> leases() {
    return leases;
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

  /** Same homes (the epoch and the leases are ignored). */
  public boolean sameOwners(Assignment other) {
    return owners.equals(other.owners);
  }

  /** Same homes and same leases: every chamber is served by the same defender (the epoch is ignored). */
  public boolean sameRouting(Assignment other) {
    return owners.equals(other.owners) && leases.equals(other.leases);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Assignment other && epoch == other.epoch && owners.equals(other.owners)
        && leases.equals(other.leases);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(epoch) * 31 + owners.hashCode()) * 31 + leases.hashCode();
  }

  @Override
  public String toString() {
    return "Assignment{epoch=" + epoch + ", chambers=" + owners.size() + ", leased=" + leases.size() + "}";
  }
}
