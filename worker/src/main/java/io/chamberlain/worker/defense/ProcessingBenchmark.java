package io.chamberlain.worker.defense;

import io.chamberlain.defense.BuiltInDefense;
import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.Arrays;

/**
 * Measures what one event costs a defender for a chamber of a given weight, single-threaded:
 * fetch the stored trace, decode it, evaluate (indicators + limits + run rules + learning),
 * serialize the chamber state, and write it with compare-and-set. The judge — decode, evaluate,
 * serialize — is timed on its own; fetch and write cost nothing with {@link BenchmarkStorage.InMemory}
 * and are the real NATS round trips with {@link NatsBenchmarkStorage}. Generating, encoding and
 * storing the trace (the data collector's work) happens outside every total; generation is timed on
 * its own. Only judged (post-warm-up) contexts are measured, so the rules are part of the cost.
 */
public final class ProcessingBenchmark {

  /**
   * Timings of one weight, in milliseconds, each sample sorted ascending. {@code judgeMs} is decode +
   * evaluate + persist; {@code totalMs} adds fetching the trace and writing the state ({@code fetchMs},
   * {@code casMs}).
   */
  public record Result(ChamberProfile profile, int traceBytes, int stateBytes, double[] generateMs, double[] fetchMs,
                       double[] decodeMs, double[] evaluateMs, double[] persistMs, double[] casMs, double[] judgeMs,
                       double[] totalMs) {

    public long points() {
      return Math.round(profile.weight());
    }

    /** Nearest-rank percentile of a sorted sample. */
    public static double percentile(double[] sorted, double p) {
      int rank = (int) Math.ceil(p / 100 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
  }

  private final DefenseSettings settings;
  private final TraceGenerator generator;
  private final BenchmarkStorage storage;

  /** Judge cost only: traces and states stay in memory. */
  public ProcessingBenchmark(DefenseSettings settings, long seed) {
    this(settings, seed, new BenchmarkStorage.InMemory());
  }

  ProcessingBenchmark(DefenseSettings settings, long seed, BenchmarkStorage storage) {
    this.settings = settings;
    this.generator = new TraceGenerator(new TraceGenerator.Settings(seed, 0.05, 3));
    this.storage = storage;
  }

  public Result run(int svidCount, double hz, double seconds, int iterations) throws Exception {
    ChamberProfile profile = new ChamberProfile(new ChamberKey("bench", svidCount + "x" + (int) hz + "x" + (int) seconds),
        svidCount, hz, seconds);
    ChamberKey chamber = profile.chamber();
    BuiltInDefense defense = new BuiltInDefense(settings);
    ChamberDefenseState state = new ChamberDefenseState(settings.processedIdCapacity());
    double[] generate = new double[iterations];
    double[] fetch = new double[iterations];
    double[] decode = new double[iterations];
    double[] evaluate = new double[iterations];
    double[] persist = new double[iterations];
    double[] cas = new double[iterations];
    double[] judge = new double[iterations];
    double[] total = new double[iterations];
    int traceBytes = 0;
    int stateBytes = 0;
    for (int i = -settings.warmupContexts(); i < iterations; i++) {
      String contextId = "ctx" + i;
      long generating = System.nanoTime();
      Trace generated = generator.generate(profile, contextId).trace();
      long generatedAt = System.nanoTime();
      byte[] encoded = TraceCodec.encode(generated);
      storage.storeTrace(chamber, contextId, encoded);
      long t0 = System.nanoTime();
      byte[] fetched = storage.fetchTrace(chamber, contextId);
      long t1 = System.nanoTime();
      Trace trace = TraceCodec.decode(fetched);
      long t2 = System.nanoTime();
      DefenseOutcome outcome = defense.evaluate(state, contextId, trace);
      long t3 = System.nanoTime();
      byte[] persisted = state.toBytes();
      long t4 = System.nanoTime();
      storage.saveState(chamber, persisted);
      long t5 = System.nanoTime();
      storage.discardTrace(chamber, contextId);
      if (!(outcome instanceof DefenseOutcome.Judged judged) || judged.verdict().learning() != (i < 0)) {
        throw new IllegalStateException("benchmark context " + contextId + " was not judged as expected: " + outcome);
      }
      if (i >= 0) {
        generate[i] = millis(generatedAt - generating);
        fetch[i] = millis(t1 - t0);
        decode[i] = millis(t2 - t1);
        evaluate[i] = millis(t3 - t2);
        persist[i] = millis(t4 - t3);
        cas[i] = millis(t5 - t4);
        judge[i] = millis(t4 - t1);
        total[i] = millis(t5 - t0);
        traceBytes = encoded.length;
        stateBytes = persisted.length;
      }
    }
    for (double[] sample : new double[][] {generate, fetch, decode, evaluate, persist, cas, judge, total}) {
      Arrays.sort(sample);
    }
    return new Result(profile, traceBytes, stateBytes, generate, fetch, decode, evaluate, persist, cas, judge, total);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
