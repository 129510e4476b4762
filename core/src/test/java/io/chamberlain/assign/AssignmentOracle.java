package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an engine run must achieve, computed from its input alone, without the engine: fair
 * shares, kept loads, the bounds on every load and on the moved weight. Used by the assignment and
 * leader property tests; it reads nothing the engine reports.
 *
 * <p><b>Fair share</b> {@code fair(d) = total weight × capacity(d) / Σ capacity}. <b>Kept load</b>:
 * the weight of the chambers whose previous owner is {@code d} (still live). A defender is
 * <em>out of band</em> if its kept load is outside {@code [(1−ε) × fair, (1+ε) × fair]}.
 *
 * <p><b>Balance bound</b> (DESIGN.md: "(1+ε) × fair share, or the granularity limit: fair share +
 * heaviest chamber"): {@code min((1−ε) × fair, fair − w_max) ≤ load ≤ max((1+ε) × fair, fair + w_max)}.
 *
 * <p><b>Lower bounds on the weight that must move</b>, both honest for any assignment that meets
 * the ±ε bound (a chamber heavier than the upper bound on its own may sit alone):
 * <ul>
 *   <li>{@link #minimum()} — the engine's documented bound ({@link AssignmentSummary}): orphans +
 *       max(Σ excess, Σ deficit − orphans − new chambers). It treats weight as divisible.
 *   <li>{@link #granular()} — the same, corrected for whole chambers: a defender with excess must
 *       give at least one whole chamber, so its excess counts as at least its lightest kept
 *       chamber; and an orphan or new chamber heavier than the largest room left below any upper
 *       bound ({@code R}) can only land by displacing at least {@code w − R} of kept weight
 *       (counted for chambers no heavier than the smallest upper bound, which cannot sit alone).
 * </ul>
 */
public final class AssignmentOracle {

  /** 10 % above the minimum: the DESIGN.md movement target. */
  public static final double MOVEMENT_FACTOR = 1.1;

  private final double epsilon;
  private final Map<ChamberKey, Double> weights;
  private final Assignment previous;
  private final Set<String> live;
  private final Map<String, Double> fair = new TreeMap<>();
  private final Map<String, Double> kept = new HashMap<>();
  private final double maxWeight;
  private final double minFair;
  private final double orphanWeight;
  private final double minimum;
  private final double granular;
  private final int outOfBand;

  private AssignmentOracle(Assignment previous, Map<ChamberKey, Double> weights, Collection<DefenderSpec> defenders,
      double epsilon) {
    this.epsilon = epsilon;
    this.weights = weights;
    this.previous = previous;
    this.live = new java.util.TreeSet<>();
    double total = 0;
    double capacity = 0;
    double heaviest = 0;
    for (double w : weights.values()) {
      total += w;
      heaviest = Math.max(heaviest, w);
    }
    for (DefenderSpec d : defenders) {
      live.add(d.id());
      capacity += d.capacity();
    }
    this.maxWeight = heaviest;
    double smallestFair = Double.POSITIVE_INFINITY;
    for (DefenderSpec d : defenders) {
      fair.put(d.id(), total * d.capacity() / capacity);
      smallestFair = Math.min(smallestFair, total * d.capacity() / capacity);
      kept.put(d.id(), 0.0);
    }
    this.minFair = smallestFair;

    Map<String, Double> lightestKept = new HashMap<>();
    Map<String, Double> heaviestKept = new HashMap<>();
    double orphans = 0;
    double fresh = 0;
    for (Map.Entry<ChamberKey, Double> chamber : weights.entrySet()) {
      String owner = previous.ownerOf(chamber.getKey());
      double w = chamber.getValue();
      if (owner == null) {
        fresh += w;
      } else if (!live.contains(owner)) {
        orphans += w;
      } else {
        kept.merge(owner, w, Double::sum);
        lightestKept.merge(owner, w, Math::min);
        heaviestKept.merge(owner, w, Math::max);
      }
    }
    this.orphanWeight = orphans;

    double excess = 0;
    double roundedExcess = 0;
    double deficit = 0;
    double largestRoom = 0;
    double smallestUpper = Double.POSITIVE_INFINITY;
    int violators = 0;
    for (String id : live) {
      double upper = (1 + epsilon) * fair.get(id);
      double lower = (1 - epsilon) * fair.get(id);
      double load = kept.get(id);
      double effectiveUpper = Math.max(upper, heaviestKept.getOrDefault(id, 0.0));
      if (load - effectiveUpper > 0) {
        excess += load - effectiveUpper;
        roundedExcess += Math.max(load - effectiveUpper, lightestKept.get(id));
      }
      deficit += Math.max(0, lower - load);
      largestRoom = Math.max(largestRoom, upper - load);
      smallestUpper = Math.min(smallestUpper, upper);
      if (load > upper || load < lower) {
        violators++;
      }
    }
    this.outOfBand = violators;
    double displaced = 0;
    for (Map.Entry<ChamberKey, Double> chamber : weights.entrySet()) {
      String owner = previous.ownerOf(chamber.getKey());
      double w = chamber.getValue();
      if ((owner == null || !live.contains(owner)) && w > largestRoom && w <= smallestUpper) {
        displaced += w - largestRoom;
      }
    }
    double unfilled = deficit - orphans - fresh;
    this.minimum = orphans + Math.max(0, Math.max(excess, unfilled));
    this.granular = orphans + Math.max(0, Math.max(Math.max(roundedExcess, excess + displaced), unfilled));
  }

  public static AssignmentOracle of(Assignment previous, Map<ChamberKey, Double> weights,
      Collection<DefenderSpec> live, double epsilon) {
    return new AssignmentOracle(previous, weights, live, epsilon);
  }

  public double fair(String defender) {
    return fair.get(defender);
  }

  public double keptLoad(String defender) {
    return kept.get(defender);
  }

  public double maxWeight() {
    return maxWeight;
  }

  public double orphanWeight() {
    return orphanWeight;
  }

  public double minimum() {
    return minimum;
  }

  public double granular() {
    return granular;
  }

  public int outOfBand() {
    return outOfBand;
  }

  /**
   * True if some chamber is heavier than the ±ε band ({@code 2ε × fair}) of the defender with the
   * smallest fair share: then a whole chamber can overshoot a band, and loads can only be brought
   * into their bands by moving more than the divisible minimum.
   */
  public boolean coarse() {
    return maxWeight > 2 * epsilon * minFair;
  }

  public double upperBound(String defender) {
    return Math.max((1 + epsilon) * fair(defender), fair(defender) + maxWeight);
  }

  public double lowerBound(String defender) {
    return Math.min((1 - epsilon) * fair(defender), fair(defender) - maxWeight);
  }

  /** Load per live defender under {@code next}, from the weights (0 for a defender without chambers). */
  public Map<String, Double> loads(Assignment next) {
    Map<String, Double> loads = new TreeMap<>();
    live.forEach(id -> loads.put(id, 0.0));
    weights.forEach((chamber, w) -> loads.merge(next.ownerOf(chamber), w, Double::sum));
    return loads;
  }

  /** Weight of the chambers that had an owner before and have a different one in {@code next}. */
  public double movedWeight(Assignment next) {
    double moved = 0;
    for (Map.Entry<ChamberKey, Double> chamber : weights.entrySet()) {
      String before = previous.ownerOf(chamber.getKey());
      if (before != null && !before.equals(next.ownerOf(chamber.getKey()))) {
        moved += chamber.getValue();
      }
    }
    return moved;
  }

  /**
   * The most a full rebalance may move, by population class (see the property test's javadoc):
   * fine-grained: 1.1 × granular + one chamber; coarse with every kept load in its band: 1.1 ×
   * granular; coarse otherwise: 1.1 × minimum + one heaviest chamber per out-of-band defender, plus
   * one.
   */
  public double allowedMovement() {
    if (!coarse()) {
      return MOVEMENT_FACTOR * granular + maxWeight;
    }
    if (outOfBand == 0) {
      return MOVEMENT_FACTOR * granular;
    }
    return MOVEMENT_FACTOR * minimum + (outOfBand + 1) * maxWeight;
  }
}
