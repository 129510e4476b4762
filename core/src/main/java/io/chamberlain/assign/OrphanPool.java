package io.chamberlain.assign;

import java.util.Arrays;

/**
 * Chamber ranks waiting for an owner during an engine run (dead owner, new, or shed), and the
 * weights the movement bound needs.
 */
final class OrphanPool {

  int[] ranks;
  int size;
  double orphanWeight;
  int newChambers;
  double newWeight;

  OrphanPool(int capacity) {
    ranks = new int[Math.max(capacity, 8)];
  }

  void add(int rank) {
    if (size == ranks.length) {
      ranks = Arrays.copyOf(ranks, size * 2);
    }
    ranks[size++] = rank;
  }
}
