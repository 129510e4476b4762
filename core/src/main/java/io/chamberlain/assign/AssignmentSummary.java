package io.chamberlain.assign;

import java.util.SortedMap;

/**
 * What an engine run changed and how balanced the result is.
 *
 * <p>{@code minimumMovedWeight} is an honest lower bound on the weight any assignment meeting the
 * balance bound must move away from its previous owner, computed from the kept loads (every
 * chamber left on its live previous owner): <pre>
 *   orphanWeight + max(0, Σ excess, Σ deficit − orphanWeight − newWeight)
 * </pre> where a defender's excess is its kept load above its effective upper bound ({@code (1+ε) ×
 * fair}, or its heaviest chamber if that alone is heavier) and its deficit is what it lacks to
 * reach {@code (1−ε) × fair}. Excess must leave; a deficit can only be filled by orphans, new
 * chambers or moved chambers; orphans (owner no longer live) move whatever happens.
 *
 * @param movedChambers chambers that had a previous owner and now have a different one
 * @param movedWeight their weight
 * @param orphanWeight weight of chambers whose previous owner is not live (included in moved)
 * @param newChambers chambers without a previous owner, now placed
 * @param newWeight their weight
 * @param minimumMovedWeight see above
 * @param loads load per defender id, sorted
 * @param fairShares fair share per defender id ({@code total × capacity / total capacity})
 * @param maxOverFair highest load / fair share (1.0 when empty)
 * @param minOverFair lowest load / fair share (1.0 when empty)
 */
public record AssignmentSummary(
    int movedChambers,
    double movedWeight,
    double orphanWeight,
    int newChambers,
    double newWeight,
    double minimumMovedWeight,
    SortedMap<String, Double> loads,
    SortedMap<String, Double> fairShares,
    double maxOverFair,
    double minOverFair) {

  /** {@code movedWeight / minimumMovedWeight}; 1.0 if neither moved anything, infinite if only we did. */
  public double movementRatio() {
    if (minimumMovedWeight <= 0) {
      return movedWeight <= 0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return movedWeight / minimumMovedWeight;
  }

  /** True if every load is within ±ε of its fair share. */
  public boolean withinBounds(double epsilon) {
    return maxOverFair <= 1 + epsilon + 1e-9 && minOverFair >= 1 - epsilon - 1e-9;
  }
}
