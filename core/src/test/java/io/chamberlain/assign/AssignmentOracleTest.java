package io.chamberlain.assign;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The movement lower bounds the property tests compare the engine with must be honest: on inputs
 * small enough to try every assignment, neither the engine's documented minimum nor the oracle's
 * granular one exceeds the least weight any balanced assignment moves.
 */
class AssignmentOracleTest {

  /** Wide enough that tiny inputs often have a balanced assignment at all. */
  private static final double EPS = 0.25;

  @Test
  void lowerBoundsNeverExceedTheTrueMinimumOnTinyInputs() {
    long seed = AssignmentPropertiesTest.seed("lowerBoundsNeverExceedTheTrueMinimumOnTinyInputs");
    AssignmentEngine engine = new AssignmentEngine(new AssignmentTuning(EPS));
    int feasible = 0;
    for (int instance = 0; instance < 600; instance++) {
      Random random = new Random(seed + instance);
      List<DefenderSpec> live = new ArrayList<>();
      int defenders = 2 + random.nextInt(3);
      for (int d = 0; d < defenders; d++) {
        live.add(new DefenderSpec("defender-" + d, new double[] {0.5, 1, 1, 2}[random.nextInt(4)]));
      }
      SortedMap<ChamberKey, Double> weights = new TreeMap<>();
      Map<ChamberKey, String> owners = new LinkedHashMap<>();
      int chambers = 3 + random.nextInt(defenders == 4 ? 4 : 5);
      for (int c = 0; c < chambers; c++) {
        ChamberKey key = new ChamberKey("t" + c, "1");
        weights.put(key, 1.0 + random.nextInt(random.nextBoolean() ? 4 : 20));
        int owner = random.nextInt(defenders + 2); // a live one, a dead one, or none (new)
        if (owner < defenders) {
          owners.put(key, live.get(owner).id());
        } else if (owner == defenders) {
          owners.put(key, "gone");
        }
      }
      Assignment previous = Assignment.of(1, owners);
      AssignmentOracle oracle = AssignmentOracle.of(previous, weights, live, EPS);
      double optimum = cheapestBalanced(previous, weights, live);
      if (Double.isInfinite(optimum)) {
        continue;
      }
      feasible++;
      double minimum = engine.assign(previous, weights, live, AssignmentMode.REBALANCE).summary().minimumMovedWeight();
      String input = "instance " + (seed + instance) + ": weights " + weights + ", previous " + owners + ", live "
          + live + ", optimum " + optimum;
      assertTrue(minimum <= optimum + 1e-9, "engine minimum " + minimum + " above the true minimum; " + input);
      assertTrue(oracle.minimum() <= optimum + 1e-9, "oracle minimum " + oracle.minimum() + "; " + input);
      assertTrue(oracle.granular() <= optimum + 1e-9, "granular " + oracle.granular() + "; " + input);
    }
    System.out.println("lowerBoundsNeverExceedTheTrueMinimumOnTinyInputs: " + feasible + " of 600 inputs had a balanced"
        + " assignment");
    if (feasible < 100) {
      fail("only " + feasible + " of 600 tiny inputs had a balanced assignment; the check proves little");
    }
  }

  /** The least weight moved by any assignment that meets the ±ε bound (∞ if none does). */
  private static double cheapestBalanced(Assignment previous, SortedMap<ChamberKey, Double> weights,
      List<DefenderSpec> live) {
    List<ChamberKey> keys = new ArrayList<>(weights.keySet());
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    double capacity = live.stream().mapToDouble(DefenderSpec::capacity).sum();
    int n = keys.size();
    int d = live.size();
    int[] owner = new int[n];
    double best = Double.POSITIVE_INFINITY;
    for (long code = 0, count = (long) Math.pow(d, n); code < count; code++) {
      long rest = code;
      for (int c = 0; c < n; c++) {
        owner[c] = (int) (rest % d);
        rest /= d;
      }
      double[] load = new double[d];
      int[] size = new int[d];
      double moved = 0;
      for (int c = 0; c < n; c++) {
        double w = weights.get(keys.get(c));
        load[owner[c]] += w;
        size[owner[c]]++;
        String before = previous.ownerOf(keys.get(c));
        if (before != null && !before.equals(live.get(owner[c]).id())) {
          moved += w;
        }
      }
      boolean balanced = true;
      for (int i = 0; i < d && balanced; i++) {
        double fair = total * live.get(i).capacity() / capacity;
        boolean aloneAndOversized = size[i] == 1 && load[i] > (1 + EPS) * fair;
        balanced = load[i] >= (1 - EPS) * fair - 1e-9 && (load[i] <= (1 + EPS) * fair + 1e-9 || aloneAndOversized);
      }
      if (balanced) {
        best = Math.min(best, moved);
      }
    }
    return best;
  }
}
