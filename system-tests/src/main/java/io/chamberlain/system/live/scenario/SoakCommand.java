package io.chamberlain.system.live.scenario;

import io.chamberlain.system.live.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/chamberlain soak}: the {@link SoakScenario} at the shipped configuration
 * ({@link Profile#BENCHMARK}) — by default 30 minutes of 100 events/s over 1,500 chambers with a
 * random fault every 60 s — printing the per-fault-kind and memory tables. Exit code 1 if any
 * invariant broke or a target was missed.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Run the cluster on real processes under steady load with a random fault every interval, "
        + "audit every event and sample every process's memory.")
public final class SoakCommand implements Callable<Integer> {

  @Option(names = "--minutes", defaultValue = "30", description = "length of the load (default ${DEFAULT-VALUE})")
  private int minutes;

  @Option(names = "--interval", defaultValue = "60", paramLabel = "SECONDS",
      description = "seconds between faults (default ${DEFAULT-VALUE}, at least 20)")
  private int intervalSeconds;

  @Option(names = "--seed", description = "seed of the faults' order and victims (default: random, printed)")
  private Long seed;

  @Option(names = "--chambers", defaultValue = "1500", description = "chambers in the catalog (default ${DEFAULT-VALUE})")
  private int chambers;

  @Option(names = "--rate", defaultValue = "100", description = "events per second (default ${DEFAULT-VALUE})")
  private double rate;

  @Option(names = "--out", paramLabel = "FILE", description = "also write the tables to FILE")
  private Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SoakCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    SoakScenario soak = new SoakScenario(Profile.BENCHMARK, new SoakScenario.Settings(Duration.ofMinutes(minutes),
        Duration.ofSeconds(intervalSeconds), chosenSeed, chambers, rate));
    System.out.println("== soak: " + soak.description());
    ScenarioResult result = soak.run();
    String verdict = result.passed() ? "passed" : result.invariantsHeld() ? "invariants held, targets MISSED"
        : "INVARIANT BROKEN";
    String text = "Soak (seed " + chosenSeed + ", replay with --seed " + chosenSeed + "): " + verdict + "\n\n"
        + ScenarioTable.markdown(java.util.List.of(soak), java.util.List.of(result)) + "\n" + soak.report()
        + (result.missedTargets().isEmpty() ? "" : "\nmissed: " + result.missedTargets() + "\n")
        + (result.brokenInvariants().isEmpty() ? "" : "\nbroken: " + result.brokenInvariants() + "\n");
    System.out.println();
    System.out.print(text);
    result.logs().ifPresent(dir -> System.out.println("logs in " + dir));
    if (out != null) {
      Files.writeString(out, text);
    }
    return result.passed() ? 0 : 1;
  }
}
