package io.chamberlain.worker.defense;

import io.chamberlain.defense.DefenseSettings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code defense-bench}: processing time of the built-in process vs chamber weight, on one thread. */
@Command(name = "defense-bench", mixinStandardHelpOptions = true,
    description = "Times decode + evaluate + state persist of the built-in defense for chamber weights from"
        + " 15 k to 3.6 M points per context on one thread and prints a markdown table against the 5 s budget."
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DefenseSettings settings = new DefenseSettings(warmup, DefenseSettings.DEFAULTS.ewmaLambda(),
        DefenseSettings.DEFAULTS.familyFalseAlarm(), DefenseSettings.DEFAULTS.processedIdCapacity(),
        DefenseSettings.DEFAULTS.maxListedViolations(), perStep);
    ProcessingBenchmark bench = new ProcessingBenchmark(settings, seed);
    bench.run(200, 4, 300, 30); // JIT warm-up, not reported
    out.printf(Locale.ROOT, "%d judged contexts per weight, %s, %d available processor(s), JVM %s%n%n", iterations,
        "decode + evaluate + persist on one thread" + (perStep ? ", per-step windows" : ""), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    out.println("| points/context | SVIDs × Hz × s | trace MB | decode ms p50 | evaluate ms p50 | persist ms p50 (state KB)"
        + " | total ms p50 | total ms p99 | p99 share of 5 s | simulator ms p50 |");
    out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (double[] p : PROFILES) {
      ProcessingBenchmark.Result r = bench.run((int) p[0], p[1], p[2], iterations);
      double p99 = ProcessingBenchmark.Result.percentile(r.totalMs(), 99);
      out.printf(Locale.ROOT, "| %,d | %d × %d × %d | %.1f | %.1f | %.1f | %.2f (%d) | %.1f | %.1f | %.2f %% | %.0f |%n",
          r.points(), (int) p[0], (int) p[1], (int) p[2], r.traceBytes() / 1e6,
          ProcessingBenchmark.Result.percentile(r.decodeMs(), 50), ProcessingBenchmark.Result.percentile(r.evaluateMs(), 50),
          ProcessingBenchmark.Result.percentile(r.persistMs(), 50), r.stateBytes() / 1024,
          ProcessingBenchmark.Result.percentile(r.totalMs(), 50), p99, 100 * p99 / BUDGET_MS,
          ProcessingBenchmark.Result.percentile(r.generateMs(), 50));
      out.flush();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DefenseBenchCommand()).execute(args));
  }
}
