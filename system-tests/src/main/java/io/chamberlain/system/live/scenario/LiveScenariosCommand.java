package io.chamberlain.system.live.scenario;

import io.chamberlain.system.live.Profile;
import io.chamberlain.testkit.TestTimeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/chamberlain scenarios --live}: plays the live scenarios on this machine — real
 * nats-server, gateway and worker JVMs at the shipped configuration ({@link Profile#BENCHMARK}), real
 * signals — one after the other, and prints their numbers as a markdown table beside the reference
 * design and Kafka. Exit code 1 if any invariant broke or any target was missed.
 */
@Command(name = "scenarios --live", mixinStandardHelpOptions = true,
    description = "Play the reference scenarios on real processes of this machine and print the measured table.")
public final class LiveScenariosCommand implements Callable<Integer> {

  @Option(names = "--only", split = ",", paramLabel = "NAME",
      description = "run only these scenarios (comma-separated; see --list)")
  private List<String> only = new ArrayList<>();

  @Option(names = "--list", description = "list the scenarios and exit")
  private boolean list;

  @Option(names = "--out", paramLabel = "FILE", description = "also write the table to FILE")
  private Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LiveScenariosCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<LiveScenario> all = LiveScenarios.all(Profile.BENCHMARK);
    if (list) {
      all.forEach(s -> System.out.printf("%-22s %s%n", s.name(), s.description()));
      return 0;
    }
    List<LiveScenario> chosen = choose(all);
    List<ScenarioResult> results = new ArrayList<>();
    for (LiveScenario scenario : chosen) {
      System.out.println("== " + scenario.name() + ": " + scenario.description());
      ScenarioResult result = scenario.run();
      results.add(result);
      System.out.println("== " + scenario.name() + ": " + (result.passed() ? "passed"
          : result.invariantsHeld() ? "invariants held, targets MISSED" : "INVARIANT BROKEN")
          + result.logs().map(dir -> ", logs in " + dir).orElse(""));
    }
    String table = ScenarioTable.markdown(chosen, results);
    System.out.println();
    System.out.println("Live scenarios on this machine (" + Runtime.getRuntime().availableProcessors()
        + " cores, load average " + String.format("%.2f", java.lang.management.ManagementFactory
            .getOperatingSystemMXBean().getSystemLoadAverage()) + ", timeout factor " + TestTimeouts.FACTOR
        + "; profile " + Profile.BENCHMARK + ": product defaults, JVM " + String.join(" ",
            Profile.BENCHMARK.javaOptions()) + ", " + Profile.BENCHMARK.chambers() + " chambers at "
        + Profile.BENCHMARK.eventsPerSecond() + " events/s):");
    System.out.println();
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return results.stream().allMatch(ScenarioResult::passed) ? 0 : 1;
  }

  private List<LiveScenario> choose(List<LiveScenario> all) {
    if (only.isEmpty()) {
      return all;
    }
    Set<String> known = all.stream().map(LiveScenario::name).collect(Collectors.toCollection(LinkedHashSet::new));
    List<String> unknown = only.stream().filter(name -> !known.contains(name)).toList();
    if (!unknown.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario(s) " + unknown
          + "; known: " + known);
    }
    return all.stream().filter(s -> only.contains(s.name())).toList();
  }
}
