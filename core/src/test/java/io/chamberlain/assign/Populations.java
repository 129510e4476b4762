package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/** Seeded chamber populations and defender sets for engine and leader tests. */
final class Populations {

  private static final double[] HZ = {1, 2, 5, 10};

  private Populations() {
  }

  /** Fab-like, heavy-tailed: SVIDs 50–200, Hz ∈ {1,2,5,10}, 300–1,800 s; 4 chambers per tool. */
  static SortedMap<ChamberKey, Double> fab(int chambers, long seed) {
    Random random = new Random(seed);
    SortedMap<ChamberKey, Double> weights = new TreeMap<>();
    for (int i = 0; i < chambers; i++) {
      ChamberKey key = new ChamberKey(String.format("tool%04d", i / 4), Integer.toString(i % 4 + 1));
      ChamberProfile profile = new ChamberProfile(key, 50 + random.nextInt(151), HZ[random.nextInt(HZ.length)],
          300 + random.nextInt(1501));
      weights.put(key, profile.weight());
    }
    return weights;
  }

  /** Fine-grained: weights uniform in [1, maxWeight]. */
  static SortedMap<ChamberKey, Double> uniform(int chambers, double maxWeight, Random random) {
    SortedMap<ChamberKey, Double> weights = new TreeMap<>();
    for (int i = 0; i < chambers; i++) {
      weights.put(new ChamberKey("t" + i, "c"), 1 + random.nextDouble() * (maxWeight - 1));
    }
    return weights;
  }

  static List<DefenderSpec> defenders(int count) {
    return defenders(0, count);
  }

  /** {@code defender-<from>} … {@code defender-<from+count-1>}, capacity 1. */
  static List<DefenderSpec> defenders(int from, int count) {
    List<DefenderSpec> result = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      result.add(DefenderSpec.of("defender-" + i));
    }
    return result;
  }
}
