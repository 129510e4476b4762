package io.chamberlain.tools.defense;

import io.chamberlain.defense.DefenseSettings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code defense-bench}: processing time of the built-in process vs chamber weight, on one thread.
 * By default the judge alone (decode, evaluate, serialize the state); with {@code --nats URL} also
 * the NATS round trips a defender makes per context — fetching the trace from the object store and
 * writing the chamber state with KV compare-and-set — in columns beside the judge's, with the total
 * against the 5 s budget (DESIGN's SLA is end to end).
 */
@Command(name = "defense-bench", mixinStandardHelpOptions = true,
    description = "Times decode + evaluate + state persist of the built-in defense for chamber weights from"
        + " 15 k to 3.6 M points per context on one thread and prints a markdown table against the 5 s budget."
        + " With --nats, also times fetching each trace from a NATS object store and the KV compare-and-set"
        + " of the chamber state (in buckets of its own, deleted afterwards)."
        + " For a strict one-core figure run the JVM as: taskset -c 0 java -XX:ActiveProcessorCount=1 ...")
public final class DefenseBenchCommand implements Callable<Integer> {

  /** SVIDs × Hz × seconds: 15 k, 60 k, 240 k, 900 k, 1.8 M and 3.6 M points per context. */
  static final double[][] PROFILES = {
      {50, 1, 300}, {100, 2, 300}, {200, 4, 300}, {300, 10, 300}, {500, 10, 360}, {1000, 10, 360}};
  static final double BUDGET_MS = 5000;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--iterations", defaultValue = "20", description = "judged contexts per weight (default ${DEFAULT-VALUE})")
  int iterations;
  @Option(names = "--warmup", defaultValue = "5", description = "defense warm-up contexts per weight (default ${DEFAULT-VALUE})")
  int warmup;
  @Option(names = "--seed", defaultValue = "1", description = "simulation seed (default ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--per-step", description = "also judge per-step indicator windows")
  boolean perStep;
  @Option(names = "--nats", paramLabel = "URL",
      description = "also time the trace fetch (object store) and state write (KV compare-and-set) against this NATS server "
          + "(JetStream on; credentials and TLS from the CHAMBERLAIN_NATS_* variables, as the nodes read them)")
  String natsUrl;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DefenseSettings settings = new DefenseSettings(warmup, DefenseSettings.DEFAULTS.ewmaLambda(),
        DefenseSettings.DEFAULTS.familyFalseAlarm(), DefenseSettings.DEFAULTS.processedIdCapacity(),
        DefenseSettings.DEFAULTS.maxListedViolations(), perStep);
    boolean endToEnd = natsUrl != null;
    try (BenchmarkStorage storage = endToEnd ? NatsBenchmarkStorage.connect(io.chamberlain.config.NatsSettings.fromEnvironment(System.getenv()).withUrl(natsUrl)) : new BenchmarkStorage.InMemory()) {
      ProcessingBenchmark bench = new ProcessingBenchmark(settings, seed, storage);
      bench.run(200, 4, 300, 30); // JIT warm-up, not reported
      String measured = endToEnd
          ? "NATS object store fetch + decode + evaluate + persist + KV compare-and-set on one thread (" + natsUrl + ")"
          : "decode + evaluate + persist on one thread";
      out.printf(Locale.ROOT, "%d judged contexts per weight, %s, %d available processor(s), JVM %s%n%n", iterations,
          measured + (perStep ? ", per-step windows" : ""), Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      out.println(endToEnd
          ? "| points/context | SVIDs × Hz × s | trace MB | fetch ms p50 | decode ms p50 | evaluate ms p50"
              + " | persist ms p50 (state KB) | KV CAS ms p50 | judge ms p50 | total ms p50 | total ms p99"
              + " | p99 share of 5 s | simulator ms p50 |"
          : "| points/context | SVIDs × Hz × s | trace MB | decode ms p50 | evaluate ms p50 | persist ms p50 (state KB)"
              + " | total ms p50 | total ms p99 | p99 share of 5 s | simulator ms p50 |");
      out.println(endToEnd
          ? "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
          : "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (double[] p : PROFILES) {
        ProcessingBenchmark.Result r = bench.run((int) p[0], p[1], p[2], iterations);
        out.println(endToEnd ? endToEndRow(r) : judgeRow(r));
        out.flush();
      }
    }
    return 0;
  }

  /** The default table, as it always was: the judge's cost is the total. */
  private static String judgeRow(ProcessingBenchmark.Result r) {
    double p99 = p(r.judge(), 99);
    return String.format(Locale.ROOT, "| %,d | %s | %.1f | %.1f | %.1f | %.2f (%d) | %.1f | %.1f | %.2f %% | %.0f |",
        r.points(), shape(r), r.traceBytes() / 1e6, p(r.decode(), 50), p(r.evaluate(), 50),
        p(r.persist(), 50), r.stateBytes() / 1024, p(r.judge(), 50), p99, 100 * p99 / BUDGET_MS,
        p(r.generate(), 50));
  }

  /** With NATS: fetch and KV write beside the judge; the total spans all of them. */
  private static String endToEndRow(ProcessingBenchmark.Result r) {
    double p99 = p(r.total(), 99);
    return String.format(Locale.ROOT,
        "| %,d | %s | %.1f | %.1f | %.1f | %.1f | %.2f (%d) | %.2f | %.1f | %.1f | %.1f | %.2f %% | %.0f |",
        r.points(), shape(r), r.traceBytes() / 1e6, p(r.fetch(), 50), p(r.decode(), 50), p(r.evaluate(), 50),
        p(r.persist(), 50), r.stateBytes() / 1024, p(r.cas(), 50), p(r.judge(), 50), p(r.total(), 50), p99,
        100 * p99 / BUDGET_MS, p(r.generate(), 50));
  }

  private static String shape(ProcessingBenchmark.Result r) {
    return r.profile().svidCount() + " × " + (int) r.profile().hz() + " × " + (int) r.profile().contextSeconds();
  }

  private static double p(org.HdrHistogram.Histogram timings, double percentile) {
    return ProcessingBenchmark.Result.millis(timings, percentile);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DefenseBenchCommand()).execute(args));
  }
}
