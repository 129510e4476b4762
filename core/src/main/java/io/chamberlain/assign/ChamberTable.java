package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

/**
 * The engine's input chambers as arrays indexed by <em>rank</em>: rank order is weight ascending,
 * ties broken by chamber key, so it is a total order that depends on the input only. Sorting a
 * defender's chambers by rank therefore sorts them by weight.
 */
final class ChamberTable {

  /** Chamber keys in key order. */
  final ChamberKey[] keys;
  /** {@code rankOfKey[k]} = rank of {@code keys[k]}. */
  final int[] rankOfKey;
  final ChamberKey[] keyByRank;
  final double[] weightByRank;
  final double totalWeight;

  private ChamberTable(ChamberKey[] keys, double[] weightsInKeyOrder) {
    int n = keys.length;
    this.keys = keys;
    int[] order = byWeightThenKey(weightsInKeyOrder);
    this.rankOfKey = new int[n];
    this.keyByRank = new ChamberKey[n];
    this.weightByRank = new double[n];
    double total = 0;
    for (int r = 0; r < n; r++) {
      int k = order[r];
      rankOfKey[k] = r;
      keyByRank[r] = keys[k];
      weightByRank[r] = weightsInKeyOrder[k];
      total += weightByRank[r];
    }
    this.totalWeight = total;
  }

  /** Key indices ordered by (weight, key index); a primitive merge sort, no boxing. */
  private static int[] byWeightThenKey(double[] weights) {
    int n = weights.length;
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    int[] buffer = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        int mid = lo + width;
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int out = lo;
        while (i < mid && j < hi) {
          // Stable, and indices start ascending, so equal weights stay in key order.
          buffer[out++] = weights[order[j]] < weights[order[i]] ? order[j++] : order[i++];
        }
        while (i < mid) {
          buffer[out++] = order[i++];
        }
        while (j < hi) {
          buffer[out++] = order[j++];
        }
        System.arraycopy(buffer, lo, order, lo, hi - lo);
      }
    }
    return order;
  }

  static ChamberTable of(Map<ChamberKey, Double> weights) {
    ChamberKey[] keys = new ChamberKey[weights.size()];
    double[] w = new double[keys.length];
    boolean naturallySorted = weights instanceof SortedMap<ChamberKey, Double> sorted && sorted.comparator() == null;
    if (naturallySorted) {
      int k = 0;
      for (Map.Entry<ChamberKey, Double> chamber : weights.entrySet()) {
        keys[k] = chamber.getKey();
        w[k++] = checked(chamber.getKey(), chamber.getValue());
      }
    } else {
      keys = weights.keySet().toArray(keys);
      Arrays.sort(keys);
      for (int k = 0; k < keys.length; k++) {
        w[k] = checked(keys[k], weights.get(keys[k]));
      }
    }
    return new ChamberTable(keys, w);
  }

  private static double checked(ChamberKey chamber, Double weight) {
    if (weight == null || !(weight >= 0) || weight.isInfinite()) {
      throw new IllegalArgumentException("chamber " + chamber + ": weight must be ≥ 0 and finite, was " + weight);
    }
    return weight;
  }

  int size() {
    return keys.length;
  }
}
