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
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> {
      int byWeight = Double.compare(weightsInKeyOrder[a], weightsInKeyOrder[b]);
      return byWeight != 0 ? byWeight : Integer.compare(a, b);
    });
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

  static ChamberTable of(Map<ChamberKey, Double> weights) {
    ChamberKey[] keys = weights.keySet().toArray(new ChamberKey[0]);
    boolean naturallySorted = weights instanceof SortedMap<ChamberKey, Double> sorted && sorted.comparator() == null;
    if (!naturallySorted) {
      Arrays.sort(keys);
    }
    double[] w = new double[keys.length];
    for (int k = 0; k < keys.length; k++) {
      Double weight = weights.get(keys[k]);
      if (weight == null || !(weight >= 0) || weight.isInfinite()) {
        throw new IllegalArgumentException("chamber " + keys[k] + ": weight must be ≥ 0 and finite, was " + weight);
      }
      w[k] = weight;
    }
    return new ChamberTable(keys, w);
  }

  int size() {
    return keys.length;
  }
}
