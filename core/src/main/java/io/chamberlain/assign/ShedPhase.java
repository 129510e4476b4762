package io.chamberlain.assign;

import java.util.Arrays;

/**
 * Phase 2 of the {@link AssignmentEngine}: every defender above its effective upper bound gives up
 * a <em>minimal cover</em> of its excess, so that as little weight as possible leaves it.
 *
 * <ol>
 *   <li><b>Pick</b>: the largest chamber that does not overshoot what is still to go, repeatedly,
 *       then the smallest chamber that covers the rest. Picks prefer to be no heavier than the
 *       largest room any defender has below its upper bound: a chamber that fits nowhere overloads
 *       its receiver and forces further moves in the repair phase.
 *   <li><b>Prune</b>: that last chamber may on its own cover much of what several earlier, lighter
 *       picks covered (a defender with a few heavy chambers and many light ones), so every earlier
 *       pick, heaviest first, goes back if the others still cover the excess without it.
 *   <li><b>Single cover</b>: if one chamber covers the whole excess and moves less than the pruned
 *       picks (counting, for a chamber heavier than the largest room, the weight it must displace
 *       where it lands), it leaves instead.
 * </ol>
 * Before pruning, a defender with excess 19.5 holding 21, 20, 8, 6, 3, 2 gave up 8, 6, 3, 2 and 20
 * (39); now it gives up the 20. A chamber heavier than the bound on its own is kept and sits alone.
 */
final class ShedPhase {

  private ShedPhase() {
  }

  static void run(DefenderBin[] bins, OrphanPool pool) {
    double largestRoom = 0;
    for (DefenderBin bin : bins) {
      largestRoom = Math.max(largestRoom, bin.upper - bin.load());
    }
    int[] picked = new int[16];
    for (DefenderBin bin : bins) {
      double remaining = bin.load() - bin.effectiveUpper();
      if (bin.held || remaining <= 0) {
        continue;
      }
      int keep = bin.holdsOversizedChamber() ? 1 : 0;
      double excess = remaining;
      int count = 0;
      while (remaining > 0 && bin.size() > keep) {
        int end = bin.size() - keep;
        int position = bin.pickForTransfer(remaining, largestRoom, end);
        if (position < 0) {
          position = bin.pickForTransfer(remaining, Double.POSITIVE_INFINITY, end);
        }
        remaining -= bin.weightAt(position);
        if (count == picked.length) {
          picked = Arrays.copyOf(picked, count * 2);
        }
        picked[count++] = bin.removeAt(position);
      }
      // Earlier picks are in non-increasing weight order: return the heaviest redundant ones first.
      for (int i = 0; i < count - 1; i++) {
        double weight = bin.weightOfRank(picked[i]);
        if (remaining + weight <= 0) {
          bin.insert(picked[i]);
          remaining += weight;
          picked[i] = -1;
        }
      }
      // One chamber that covers the whole excess may still cost less than the pruned picks.
      int single = bin.smallestCovering(excess, bin.size() - keep);
      if (single >= 0 && cost(bin.weightAt(single), largestRoom) < cost(bin, picked, count, largestRoom)) {
        for (int i = 0; i < count; i++) {
          if (picked[i] >= 0) {
            bin.insert(picked[i]);
            picked[i] = -1;
          }
        }
        pool.add(bin.removeAt(bin.smallestCovering(excess, bin.size() - keep)));
      }
      for (int i = 0; i < count; i++) {
        if (picked[i] >= 0) {
          pool.add(picked[i]);
        }
      }
    }
  }

  /**
   * Weight moved by shedding a chamber: itself, plus what it must displace wherever it lands if it
   * is heavier than the largest room (a lower estimate).
   */
  private static double cost(double weight, double largestRoom) {
    return weight + Math.max(0, weight - largestRoom);
  }

  private static double cost(DefenderBin bin, int[] picked, int count, double largestRoom) {
    double total = 0;
    for (int i = 0; i < count; i++) {
      if (picked[i] >= 0) {
        total += cost(bin.weightOfRank(picked[i]), largestRoom);
      }
    }
    return total;
  }
}
