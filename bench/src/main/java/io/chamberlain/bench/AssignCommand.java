package io.chamberlain.bench;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentMode;
import io.chamberlain.assign.AssignmentResult;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.DefenderSpec;
import io.chamberlain.domain.ChamberKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "assign", mixinStandardHelpOptions = true,
    description = "Compute a sticky, weight-balanced assignment. Writes CSV (chamber,defender) and a JSON summary.")
final class AssignCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--chambers", required = true, description = "CSV of chamber,weight (chamber = tool:chamber).")
  Path chambersFile;

  @Option(names = "--defenders", required = true,
      description = "A count N (defender-0 … defender-N-1) or a comma-separated list of ids.")
  String defenders;

  @Option(names = "--previous", description = "CSV of chamber,defender: the previous assignment (sticky input).")
  Path previousFile;

  @Option(names = "--out", description = "Write the assignment CSV here (default: stdout).")
  Path out;

  @Option(names = "--summary", description = "Write the JSON summary here (default: stdout after the CSV file, "
      + "stderr when the CSV goes to stdout).")
  Path summaryFile;

  @Option(names = "--epsilon", defaultValue = "0.03", description = "Allowed deviation from the fair share "
      + "(default: ${DEFAULT-VALUE}).")
  double epsilon;

  @Option(names = "--orphans-only", description = "Only place chambers without a live owner; move nothing else.")
  boolean orphansOnly;

  @Override
  public Integer call() throws IOException {
    SortedMap<ChamberKey, Double> weights;
    Assignment previous = Assignment.EMPTY;
    AssignmentTuning tuning;
    List<DefenderSpec> live;
    try {
      tuning = new AssignmentTuning(epsilon);
      live = parseDefenders(defenders);
      weights = AssignmentCsv.readChambers(chambersFile);
      if (previousFile != null) {
        Map<ChamberKey, String> owners = AssignmentCsv.readPrevious(previousFile);
        previous = Assignment.of(0, owners);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    AssignmentResult result = new AssignmentEngine(tuning).assign(previous, weights, live,
        orphansOnly ? AssignmentMode.PLACE_ORPHANS_ONLY : AssignmentMode.REBALANCE);

    PrintWriter stdout = spec.commandLine().getOut();
    String json = AssignmentCsv.summaryJson(result.assignment(), result.summary(), tuning.epsilon());
    if (out != null) {
      try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        AssignmentCsv.writeAssignment(result.assignment(), writer);
      }
    } else {
      AssignmentCsv.writeAssignment(result.assignment(), stdout);
    }
    if (summaryFile != null) {
      Files.writeString(summaryFile, json, StandardCharsets.UTF_8);
    } else if (out != null) {
      stdout.print(json);
    } else {
      spec.commandLine().getErr().print(json);
    }
    stdout.flush();
    spec.commandLine().getErr().flush();
    return 0;
  }

  /** {@code N} → defender-0 … defender-(N-1); otherwise comma-separated ids (validated). */
  static List<DefenderSpec> parseDefenders(String text) {
    List<DefenderSpec> result = new ArrayList<>();
    String trimmed = text.strip();
    if (trimmed.matches("\\d+")) {
      int count = Integer.parseInt(trimmed);
      if (count < 1) {
        throw new IllegalArgumentException("--defenders must be ≥ 1, was " + count);
      }
      for (int i = 0; i < count; i++) {
        result.add(DefenderSpec.of("defender-" + i));
      }
      return result;
    }
    for (String id : trimmed.split(",")) {
      result.add(DefenderSpec.of(id.strip()));
    }
    if (result.stream().map(DefenderSpec::id).distinct().count() != result.size()) {
      throw new IllegalArgumentException("--defenders lists an id twice: " + text);
    }
    return result;
  }
}
