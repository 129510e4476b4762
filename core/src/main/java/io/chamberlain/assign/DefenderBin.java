package io.chamberlain.assign;

import java.util.Arrays;

/**
 * One defender's chambers during an engine run: chamber ranks kept sorted ascending (that is,
 * by weight), so the engine finds "largest chamber ≤ x" and "smallest ≥ x" by binary search.
 */
final class DefenderBin {

  final int index;
  final DefenderSpec spec;
  /** Stable tie-break between equally loaded defenders (never collection order). */
  final long tieHash;
  final double fair;
  final double lower;
  final double upper;
  /** Restarting within its grace period: keeps its chambers, neither sheds nor receives. */
  boolean held;
  private final double[] weightByRank;
  private int[] ranks = new int[8];
  private int size;
  private double load;

  DefenderBin(int index, DefenderSpec spec, double fair, double epsilon, double[] weightByRank) {
    this.index = index;
    this.spec = spec;
    this.tieHash = StableHash.of(spec.id());
    this.fair = fair;
    this.lower = (1 - epsilon) * fair;
    this.upper = (1 + epsilon) * fair;
    this.weightByRank = weightByRank;
  }

  double load() {
    return load;
  }

  int size() {
    return size;
  }

  int rankAt(int position) {
    return ranks[position];
  }

  double weightAt(int position) {
    return weightByRank[ranks[position]];
  }

  double weightOfRank(int rank) {
    return weightByRank[rank];
  }

  /** Load relative to capacity: the quantity the engine equalizes. */
  double pressure() {
    return load / spec.capacity();
  }

  /** True if a chamber of {@code weight} keeps this defender within its upper bound. */
  boolean fits(double weight) {
    return load + weight <= upper * (1 + 1e-12);
  }

  /** The upper bound, or its heaviest chamber if that alone exceeds it (it then sits alone). */
  double effectiveUpper() {
    return size > 0 && weightAt(size - 1) > upper ? weightAt(size - 1) : upper;
  }

  /** True if the heaviest chamber alone exceeds the upper bound and must not be shed. */
  boolean holdsOversizedChamber() {
    return size > 0 && weightAt(size - 1) > upper;
  }

  /** Appends; call {@link #restoreOrder()} before the next search unless ranks arrive ascending. */
  void append(int rank) {
    if (size == ranks.length) {
      ranks = Arrays.copyOf(ranks, size * 2);
    }
    ranks[size++] = rank;
    load += weightByRank[rank];
  }

  void restoreOrder() {
    Arrays.sort(ranks, 0, size);
  }

  void insert(int rank) {
    int position = Arrays.binarySearch(ranks, 0, size, rank);
    if (position >= 0) {
      throw new IllegalStateException("chamber rank " + rank + " already held by [" + spec.id() + "]");
    }
    position = -position - 1;
    if (size == ranks.length) {
      ranks = Arrays.copyOf(ranks, size * 2);
    }
    System.arraycopy(ranks, position, ranks, position + 1, size - position);
    ranks[position] = rank;
    size++;
    load += weightByRank[rank];
  }

  /** @return the removed chamber's rank */
  int removeAt(int position) {
    int rank = ranks[position];
    System.arraycopy(ranks, position + 1, ranks, position, size - position - 1);
    size--;
    load -= weightByRank[rank];
    return rank;
  }

  /**
   * The chamber to hand over when {@code need} weight should leave and at most {@code limit} may:
   * the largest chamber ≤ min(need, limit) (no overshoot), else the smallest ≥ need that is still
   * ≤ limit (least overshoot). Only positions below {@code end} are considered.
   *
   * @return its position, or -1 if no chamber fits
   */
  int pickForTransfer(double need, double limit, int end) {
    int largestWithin = firstHeavierThan(Math.min(need, limit), end) - 1;
    if (largestWithin >= 0) {
      return largestWithin;
    }
    int smallest = 0; // every chamber is heavier than min(need, limit) here
    return smallest < end && weightAt(smallest) <= limit ? smallest : -1;
  }

  /** @return the position of the lightest chamber ≥ {@code need} below {@code end}, or -1 if none */
  int smallestCovering(double need, int end) {
    int lo = 0;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (weightAt(mid) < need) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < end ? lo : -1;
  }

  private int firstHeavierThan(double weight, int end) {
    int lo = 0;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (weightAt(mid) <= weight) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
