package io.chamberlain.tools.defense;

import io.chamberlain.defense.BuiltInDefense;
import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

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
   * Timings of one weight, each an HdrHistogram of nanoseconds ({@link #newTimings}). {@code judge} is
   * decode + evaluate + persist; {@code total} adds fetching the trace and writing the state
   * ({@code fetch}, {@code cas}).
   */
  public record Result(ChamberProfile profile, int traceBytes, int stateBytes, Histogram generate, Histogram fetch,
                       Histogram decode, Histogram evaluate, Histogram persist, Histogram cas, Histogram judge,
                       Histogram total) {

    public long points() {
      return Math.round(profile.weight());
    }

    /** The time in ms that {@code percentile} % of the timings stay within (3 significant digits). */
    public static double millis(Histogram timings, double percentile) {
      return timings.getValueAtPercentile(percentile) / 1e6;
    }
  }

  /**
   * One step's timings in ns: 1 µs resolution, 3 significant digits, sized for a minute per context
   * (the budget is 5 s) and grown, not failed, past that.
   */
  static Histogram newTimings() {
    Histogram timings = new Histogram(TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(1), 3);
    timings.setAutoResize(true);
    return timings;
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
    Histogram generate = newTimings();
    Histogram fetch = newTimings();
    Histogram decode = newTimings();
    Histogram evaluate = newTimings();
    Histogram persist = newTimings();
    Histogram cas = newTimings();
    Histogram judge = newTimings();
    Histogram total = newTimings();
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
        generate.recordValue(generatedAt - generating);
        fetch.recordValue(t1 - t0);
        decode.recordValue(t2 - t1);
        evaluate.recordValue(t3 - t2);
        persist.recordValue(t4 - t3);
        cas.recordValue(t5 - t4);
        judge.recordValue(t4 - t1);
        total.recordValue(t5 - t0);
        traceBytes = encoded.length;
        stateBytes = persisted.length;
      }
    }
    return new Result(profile, traceBytes, stateBytes, generate, fetch, decode, evaluate, persist, cas, judge, total);
  }
}
