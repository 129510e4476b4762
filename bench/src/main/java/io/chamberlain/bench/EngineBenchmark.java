package io.chamberlain.bench;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentMode;
import io.chamberlain.assign.AssignmentResult;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.DefenderSpec;
import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Engine compute time. {@code fresh}: nothing assigned yet. {@code incremental}: one defender
 * crashed and one new joined since the previous assignment (orphans placed, the newcomer filled
 * by moving chambers to it). Run: {@code java -cp chamberlain-bench.jar org.openjdk.jmh.Main EngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EngineBenchmark {

  @Param({"6000x100", "100000x1000"})
  public String size;

  private final AssignmentEngine engine = new AssignmentEngine(AssignmentTuning.DEFAULT);
  private SortedMap<ChamberKey, Double> weights;
  private List<DefenderSpec> defenders;
  private List<DefenderSpec> afterChange;
  private Assignment previous;

  @Setup
  public void setUp() {
    String[] parts = size.split("x");
    int chambers = Integer.parseInt(parts[0]);
    int count = Integer.parseInt(parts[1]);
    weights = SyntheticPopulation.weights(chambers, 42);
    defenders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      defenders.add(DefenderSpec.of("defender-" + i));
    }
    afterChange = new ArrayList<>(defenders);
    afterChange.remove(count / 2);
    afterChange.add(DefenderSpec.of("defender-new"));
    previous = engine.assign(Assignment.EMPTY, weights, defenders, AssignmentMode.REBALANCE).assignment();
  }

  @Benchmark
  public AssignmentResult fresh() {
    return engine.assign(Assignment.EMPTY, weights, defenders, AssignmentMode.REBALANCE);
  }

  @Benchmark
  public AssignmentResult incremental() {
    return engine.assign(previous, weights, afterChange, AssignmentMode.REBALANCE);
  }

  @Benchmark
  public AssignmentResult crashOrphansOnly() {
    return engine.assign(previous, weights, afterChange.subList(0, afterChange.size() - 1),
        AssignmentMode.PLACE_ORPHANS_ONLY);
  }
}
