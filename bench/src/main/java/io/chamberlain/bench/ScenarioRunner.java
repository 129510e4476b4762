package io.chamberlain.bench;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentMode;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.DefenderSpec;
import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/** Runs one {@link Scenario} on a {@link SimulatedCluster} and measures it. */
final class ScenarioRunner {

  /** Observation time after the last topology event. */
  static final long SETTLE_MILLIS = 15_000;

  /**
   * @param allOwnedAfterMillis longest span in which some chamber had no running owner (0: none)
   * @param balancedAfterMillis from the last topology event until the running assignment is within
   *     ±ε for the final defenders for good; null if never
   * @param minimumWeight the honest minimum weight to move from the assignment at the start to a
   *     balanced one on the final defenders; null for a cold start (placement, not movement)
   * @param departedChambers chambers whose owner at the start is gone at the end (left, crashed)
   * @param stayersMoved chambers whose owner at the start is still there at the end but that have
   *     another owner now
   */
  record Outcome(Scenario scenario, int chambers, long allOwnedAfterMillis, Long balancedAfterMillis,
      int published, int movedChambers, double movedWeight, Double minimumWeight, double maxOverFair,
      double minOverFair, int departedChambers, int stayersMoved, KafkaBaseline.Outcome kafka) {
  }

  private ScenarioRunner() {
  }

  static Outcome run(Scenario scenario, SortedMap<ChamberKey, Double> weights) {
    SimulatedCluster cluster = new SimulatedCluster(weights);
    long start = scenario.startMillis();
    long lastChange = scenario.schedule(cluster);
    cluster.runUntil(start);
    Assignment atStart = cluster.applied.isEmpty() ? Assignment.EMPTY
        : cluster.applied.get(cluster.applied.size() - 1).assignment();
    cluster.runUntil(lastChange + SETTLE_MILLIS);
    cluster.finish();

    Set<String> finalDefenders = cluster.running();
    long unowned = 0;
    for (long[] span : cluster.unownedSpans) {
      if (span[0] >= start) {
        unowned = Math.max(unowned, span[1] - span[0]);
      }
    }
    int published = 0;
    int moved = 0;
    double movedWeight = 0;
    for (SimulatedCluster.Published p : cluster.published) {
      if (p.atMillis() >= start) {
        published++;
        moved += p.decision().summary().movedChambers();
        movedWeight += p.decision().summary().movedWeight();
      }
    }
    Double minimum = null;
    if (!atStart.isEmpty()) {
      List<DefenderSpec> specs = new ArrayList<>();
      finalDefenders.forEach(id -> specs.add(DefenderSpec.of(id)));
      minimum = new AssignmentEngine(AssignmentTuning.DEFAULT)
          .assign(atStart, weights, specs, AssignmentMode.REBALANCE).summary().minimumMovedWeight();
    }
    Assignment last = cluster.applied.get(cluster.applied.size() - 1).assignment();
    double[] ratio = loadRatios(last, weights, finalDefenders);
    int departed = 0;
    int stayersMoved = 0;
    for (Map.Entry<ChamberKey, String> chamber : atStart.owners().entrySet()) {
      if (!finalDefenders.contains(chamber.getValue())) {
        departed++;
      } else if (!chamber.getValue().equals(last.ownerOf(chamber.getKey()))) {
        stayersMoved++;
      }
    }
    KafkaBaseline.Outcome kafka = KafkaBaseline.evaluate(weights,
        Scenario.defenders(scenario.defendersBefore), survivors(scenario));
    return new Outcome(scenario, weights.size(), unowned, balancedAfter(cluster, weights, finalDefenders, lastChange),
        published, moved, movedWeight, minimum, ratio[0], ratio[1], departed, stayersMoved, kafka);
  }

  private static List<String> survivors(Scenario scenario) {
    List<String> after = Scenario.defenders(Math.max(scenario.defendersAfter, scenario.defendersBefore));
    if (scenario == Scenario.CRASH || scenario == Scenario.FROZEN) {
      after.remove(Scenario.defender(7));
    }
    return after.subList(0, scenario.defendersAfter);
  }

  /** The earliest check point ≥ lastChange from which on the running assignment stays balanced. */
  private static Long balancedAfter(SimulatedCluster cluster, Map<ChamberKey, Double> weights, Set<String> defenders,
      long lastChange) {
    List<Long> points = new ArrayList<>();
    List<Assignment> states = new ArrayList<>();
    Assignment before = Assignment.EMPTY;
    for (SimulatedCluster.Applied applied : cluster.applied) {
      if (applied.atMillis() <= lastChange) {
        before = applied.assignment();
      } else {
        points.add(applied.atMillis());
        states.add(applied.assignment());
      }
    }
    points.add(0, lastChange);
    states.add(0, before);
    Long balancedSince = null;
    for (int i = 0; i < points.size(); i++) {
      double[] ratio = loadRatios(states.get(i), weights, defenders);
      boolean balanced = ratio[0] <= 1 + AssignmentTuning.DEFAULT_EPSILON + 1e-9
          && ratio[1] >= 1 - AssignmentTuning.DEFAULT_EPSILON - 1e-9;
      if (!balanced) {
        balancedSince = null;
      } else if (balancedSince == null) {
        balancedSince = points.get(i);
      }
    }
    return balancedSince == null ? null : balancedSince - lastChange;
  }

  /** {max, min} load / fair share over {@code defenders}; a chamber on anyone else counts as unbalanced. */
  static double[] loadRatios(Assignment assignment, Map<ChamberKey, Double> weights, Set<String> defenders) {
    Map<String, Double> load = new HashMap<>();
    defenders.forEach(id -> load.put(id, 0.0));
    double total = 0;
    for (Map.Entry<ChamberKey, Double> chamber : weights.entrySet()) {
      total += chamber.getValue();
      String owner = assignment.ownerOf(chamber.getKey());
      if (owner == null || !load.containsKey(owner)) {
        return new double[] {Double.POSITIVE_INFINITY, 0};
      }
      load.merge(owner, chamber.getValue(), Double::sum);
    }
    double fair = total / defenders.size();
    double max = load.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double min = load.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    return new double[] {max / fair, min / fair};
  }
}
