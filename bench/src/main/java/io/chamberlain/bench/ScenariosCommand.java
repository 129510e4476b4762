package io.chamberlain.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scenarios", mixinStandardHelpOptions = true,
    description = "Run the reference scenarios at full scale on a virtual clock and print a markdown table.")
final class ScenariosCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--chambers", split = ",", defaultValue = "1500,6000",
      description = "Population sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> chamberCounts;

  @Option(names = "--seed", defaultValue = "42", description = "Population seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", description = "Also write the markdown to this file.")
  Path out;

  @Override
  public Integer call() throws IOException {
    StringBuilder markdown = new StringBuilder("## Chamberlain scenarios\n\n");
    for (int chambers : chamberCounts) {
      if (chambers < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--chambers must be ≥ 1, was " + chambers);
      }
      List<ScenarioRunner.Outcome> outcomes = new ArrayList<>();
      for (Scenario scenario : Scenario.values()) {
        outcomes.add(ScenarioRunner.run(scenario, SyntheticPopulation.weights(chambers, seed)));
      }
      markdown.append(ScenarioReport.markdown(chambers, seed, outcomes));
    }
    markdown.append(ScenarioReport.notes());
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(markdown);
    stdout.flush();
    if (out != null) {
      Files.writeString(out, markdown, StandardCharsets.UTF_8);
    }
    return 0;
  }
}
