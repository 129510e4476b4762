package io.chamberlain.bench;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A seeded, fab-like chamber population: 4 chambers per tool; SVIDs 50–200, Hz ∈ {1, 2, 5, 10},
 * contexts of 300–1,800 s. Weights ({@code svidCount × hz × contextSeconds}) span 15,000 to
 * 3,600,000, a 240× spread with a long right tail.
 */
public final class SyntheticPopulation {

  private static final double[] HZ = {1, 2, 5, 10};
  private static final int CHAMBERS_PER_TOOL = 4;

  private SyntheticPopulation() {
  }

  public static SortedMap<ChamberKey, Double> weights(int chambers, long seed) {
    Random random = new Random(seed);
    SortedMap<ChamberKey, Double> weights = new TreeMap<>();
    for (int i = 0; i < chambers; i++) {
      ChamberKey key = new ChamberKey(String.format("tool%04d", i / CHAMBERS_PER_TOOL + 1),
          Integer.toString(i % CHAMBERS_PER_TOOL + 1));
      ChamberProfile profile = new ChamberProfile(key, 50 + random.nextInt(151), HZ[random.nextInt(HZ.length)],
          300 + random.nextInt(1501));
      weights.put(key, profile.weight());
    }
    return weights;
  }
}
