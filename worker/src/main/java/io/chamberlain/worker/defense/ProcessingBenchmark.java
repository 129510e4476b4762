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
 * decode the stored trace bytes, evaluate (indicators + limits + run rules + learning), and
 * serialize the chamber state for the KV store. Generating and encoding the trace (the data
 * collector's work) happens outside that total; generation is timed on its own. Only judged (post-warm-up) contexts are
 * measured, so the rules are part of the cost.
 */
public final class ProcessingBenchmark {

  /** Timings of one weight, in milliseconds, sorted ascending. */
  public record Result(ChamberProfile profile, int traceBytes, int stateBytes, double[] generateMs, double[] decodeMs,
                       double[] evaluateMs, double[] persistMs, double[] totalMs) {

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

  public ProcessingBenchmark(DefenseSettings settings, long seed) {
    this.settings = settings;
    this.generator = new TraceGenerator(new TraceGenerator.Settings(seed, 0.05, 3));
  }

  public Result run(int svidCount, double hz, double seconds, int iterations) {
    ChamberProfile profile = new ChamberProfile(new ChamberKey("bench", svidCount + "x" + (int) hz + "x" + (int) seconds),
        svidCount, hz, seconds);
    BuiltInDefense defense = new BuiltInDefense(settings);
    ChamberDefenseState state = new ChamberDefenseState(settings.processedIdCapacity());
    double[] generate = new double[iterations];
    double[] decode = new double[iterations];
    double[] evaluate = new double[iterations];
    double[] persist = new double[iterations];
    double[] total = new double[iterations];
    int traceBytes = 0;
    int stateBytes = 0;
    for (int i = -settings.warmupContexts(); i < iterations; i++) {
      String contextId = "ctx" + i;
      long generating = System.nanoTime();
      Trace generated = generator.generate(profile, contextId).trace();
      long generatedAt = System.nanoTime();
      byte[] stored = TraceCodec.encode(generated);
      long t0 = System.nanoTime();
      Trace trace = TraceCodec.decode(stored);
      long t1 = System.nanoTime();
      DefenseOutcome outcome = defense.evaluate(state, contextId, trace);
      long t2 = System.nanoTime();
      byte[] persisted = state.toBytes();
      long t3 = System.nanoTime();
      if (!(outcome instanceof DefenseOutcome.Judged judged) || judged.verdict().learning() != (i < 0)) {
        throw new IllegalStateException("benchmark context " + contextId + " was not judged as expected: " + outcome);
      }
      if (i >= 0) {
        generate[i] = millis(generatedAt - generating);
        decode[i] = millis(t1 - t0);
        evaluate[i] = millis(t2 - t1);
        persist[i] = millis(t3 - t2);
        total[i] = millis(t3 - t0);
        traceBytes = stored.length;
        stateBytes = persisted.length;
      }
    }
    for (double[] sample : new double[][] {generate, decode, evaluate, persist, total}) {
      Arrays.sort(sample);
    }
    return new Result(profile, traceBytes, stateBytes, generate, decode, evaluate, persist, total);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
