package io.chamberlain.system.live.scenario;

import java.util.ArrayList;
import java.util.List;

/** The live scenario results as one markdown table, beside the reference design's numbers and DESIGN.md's targets. */
final class ScenarioTable {

  private ScenarioTable() {
  }

  /** One row per run, in the order given; {@code scenarios} and {@code results} pair up by index. */
  static String markdown(List<LiveScenario> scenarios, List<ScenarioResult> results) {
    List<String> header = new ArrayList<>(List.of("scenario", "what happens"));
    for (ScenarioResult.Column column : ScenarioResult.Column.values()) {
      header.add(column.title + (column.unit.isEmpty() ? "" : " (" + column.unit + ")"));
    }
    header.addAll(List.of("checks", "reference design", "target"));
    StringBuilder table = new StringBuilder(row(header)).append(row(header.stream().map(h -> "---").toList()));
    for (int i = 0; i < scenarios.size(); i++) {
      LiveScenario scenario = scenarios.get(i);
      ScenarioResult result = results.get(i);
      List<String> cells = new ArrayList<>(List.of(scenario.name(), scenario.description()));
      for (ScenarioResult.Column column : ScenarioResult.Column.values()) {
        cells.add(result.column(column).orElse("—"));
      }
      cells.add(result.passed() ? "all " + result.passedChecks().size() + " held"
          : "FAILED: " + String.join("; ", result.failures()));
      cells.add(scenario.referenceDesign());
      cells.add(scenario.target());
      table.append(row(cells));
    }
    return table.toString();
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells.stream().map(cell -> cell.replace("|", "\\|").replace("\n", " ")).toList())
        + " |\n";
  }
}
