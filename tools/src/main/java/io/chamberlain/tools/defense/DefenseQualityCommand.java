package io.chamberlain.tools.defense;

import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.FaultKind;
import io.chamberlain.defense.TraceGenerator;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code defense-quality}: detection and false-alarm rates of the built-in process on simulated faults. */
@Command(name = "defense-quality", mixinStandardHelpOptions = true,
    description = "Runs the built-in defense on simulated chambers with injected faults and prints detection"
        + " and false-alarm rates per fault kind as a markdown table, for calibrated and classic rules.")
public final class DefenseQualityCommand implements Callable<Integer> {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--chambers", defaultValue = "20", description = "simulated chambers (default ${DEFAULT-VALUE})")
  int chambers;
  @Option(names = "--contexts", defaultValue = "200", description = "contexts per chamber (default ${DEFAULT-VALUE})")
  int contexts;
  @Option(names = "--svids", defaultValue = "50", description = "SVIDs per chamber (default ${DEFAULT-VALUE})")
  int svids;
  @Option(names = "--hz", defaultValue = "10", description = "sampling rate (default ${DEFAULT-VALUE})")
  double hz;
  @Option(names = "--seconds", defaultValue = "60", description = "context length (default ${DEFAULT-VALUE})")
  double seconds;
  @Option(names = "--fault-rate", defaultValue = "0.1", description = "share of faulty contexts (default ${DEFAULT-VALUE})")
  double faultRate;
  @Option(names = "--max-faulty-svids", defaultValue = "3", description = "SVIDs hit per fault (default ${DEFAULT-VALUE})")
  int maxFaultySvids;
  @Option(names = "--warmup", defaultValue = "20", description = "warm-up contexts (default ${DEFAULT-VALUE})")
  int warmup;
  @Option(names = "--false-alarm-target", defaultValue = "0.01",
      description = "per-context false-alarm target of the calibrated rules (default ${DEFAULT-VALUE})")
  double target;
  @Option(names = "--seed", defaultValue = "1", description = "simulation seed (default ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--per-step", description = "also judge per-step indicator windows")
  boolean perStep;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TraceGenerator.Settings generation = new TraceGenerator.Settings(seed, faultRate, maxFaultySvids);
    DefenseSettings calibrated = new DefenseSettings(warmup, DefenseSettings.DEFAULTS.ewmaLambda(), target,
        DefenseSettings.DEFAULTS.processedIdCapacity(), DefenseSettings.DEFAULTS.maxListedViolations(), perStep);
    out.printf(Locale.ROOT, "%d chambers × %d contexts, %d SVIDs × %s Hz × %s s, fault rate %s, seed %d, warm-up %d%s%n%n",
        chambers, contexts, svids, hz, seconds, faultRate, seed, warmup, perStep ? ", per-step windows" : "");
    out.println("| rules | contexts | fault | ALARM rate | WARN-or-worse rate | right SVID named |");
    out.println("| --- | ---: | --- | ---: | ---: | ---: |");
    for (DefenseSettings settings : new DefenseSettings[] {calibrated, calibrated.withFamilyFalseAlarm(0)}) {
      String rules = settings.familyFalseAlarm() == 0 ? "classic WE (3σ, 8, 6)"
          : perStep ? "calibrated " + target // k depends on each chamber's step count
          : String.format(Locale.ROOT, "calibrated %s (k → %.2f)", target, settings.ruleParameters(svids * 6, Long.MAX_VALUE).limitSigma());
      Map<FaultKind, DetectionQuality.Tally> tallies =
          DetectionQuality.run(chambers, contexts, svids, hz, seconds, generation, settings);
      for (Map.Entry<FaultKind, DetectionQuality.Tally> row : tallies.entrySet()) {
        DetectionQuality.Tally t = row.getValue();
        boolean clean = row.getKey() == FaultKind.NONE;
        out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", rules, t.contexts(),
            clean ? "none (false alarms)" : row.getKey().name().toLowerCase(Locale.ROOT),
            percent(t.alarmRate()), percent(t.warnOrWorseRate()), clean ? "–" : percent(t.localizedRate()));
      }
    }
    out.flush();
    return 0;
  }

  private static String percent(double rate) {
    return Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * rate);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DefenseQualityCommand()).execute(args));
  }
}
